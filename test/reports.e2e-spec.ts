import { createPostgresDatabase } from '../libs/persistence/src/test-support/databases';
import { ADMIN_KEY, PostwireProcess } from './support/postwire-process';
import { Receiver } from './support/receiver';
import { getJson } from './support/scenario';

const IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1';
const WINDOWS_CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36';
const DAY = 86_400_000;

type Row = Record<string, string | number | null>;
interface Report {
  rows: Row[];
  totals: Row;
  totalRows: number;
  currency: string;
}

/**
 * The stats report over HTTP, on both storage drivers: clicks through /c/, conversions through
 * /postback, costs from three cost models, a currency with a rate and one without. Every expected
 * figure below is worked out by hand from those requests, not by the code under test.
 */
describe.each(['embedded PGlite', 'PostgreSQL'])('reports on %s', (driver) => {
  let app: PostwireProcess;
  let receiver: Receiver;
  let dropDb: (() => Promise<void>) | undefined;
  const ids: Record<'A' | 'B' | 'C', string> = { A: '', B: '', C: '' };
  const clicks: string[] = [];
  let range: string;

  const headers = { authorization: `Bearer ${ADMIN_KEY}` };
  const report = (query: string) =>
    getJson<Report & { error?: string; param?: string; message?: string }>(`${app.url}/api/reports/stats?${range}&${query}`, { headers });
  const rowOf = (r: Report, key: string, value: string) => r.rows.find((row) => row[key] === value)!;

  async function clickOn(campaign: 'A' | 'B' | 'C', query: string, ip: string, ua: string): Promise<string> {
    const res = await fetch(`${app.url}/c/${ids[campaign]}?${query}`, {
      redirect: 'manual',
      headers: { 'x-forwarded-for': ip, 'user-agent': ua, referer: 'https://www.news.example/a' },
    });
    expect(res.status).toBe(302);
    return new URL(res.headers.get('location')!).searchParams.get('cid')!;
  }

  async function postback(query: string): Promise<string> {
    const res = await getJson<{ status: string }>(`${app.url}/postback?${query}`);
    expect(res.status).toBe(200);
    return res.body.status;
  }

  beforeAll(async () => {
    receiver = await Receiver.start();
    const env: Record<string, string> = { TRUST_PROXY: '127.0.0.1/32', REPORT_CURRENCY: 'USD' };
    if (driver === 'PostgreSQL') {
      const db = await createPostgresDatabase();
      env.DATABASE_URL = db.url;
      dropDb = db.drop;
    }
    app = await PostwireProcess.start({ env });
    const network = await app.api<{ id: string }>('POST', '/api/networks', { name: 'Net', adapter: 'generic' });
    const offer = await app.api<{ id: string }>('POST', '/api/offers', {
      name: 'Offer',
      networkId: network.body.id,
      url: 'https://offer.example/?cid={click_id}',
      payout: '2.50',
    });
    const source = await app.api<{ id: string }>('POST', '/api/traffic-sources', { name: 'Src', postbackUrl: `${receiver.url}/pb?e={external_id}` });
    const make = async (name: string, cost: Record<string, unknown>) => {
      const res = await app.api<{ id: string; costModel: string }>('POST', '/api/campaigns', {
        name,
        trafficSourceId: source.body.id,
        offerId: offer.body.id,
        ...cost,
      });
      expect(res.status).toBe(201);
      return res.body.id;
    };
    ids.A = await make('A', { costModel: 'cpc', costValue: '0.05' });
    ids.B = await make('B', { costModel: 'auto', costParam: 'cpc_cost' });
    ids.C = await make('C', { costModel: 'revshare', costValue: '40' });

    clicks.push(await clickOn('A', 'sub1=x', '8.8.8.8', IPHONE)); // 0: US, mobile, unique
    clicks.push(await clickOn('A', 'sub1=x', '8.8.8.8', IPHONE)); // 1: same visitor again: not unique
    clicks.push(await clickOn('A', 'sub1=y', '127.0.0.1', WINDOWS_CHROME)); // 2: unknown country, desktop
    clicks.push(await clickOn('B', 'cpc_cost=0.02', '127.0.0.1', IPHONE)); // 3: costs 0.02
    clicks.push(await clickOn('B', 'cpc_cost=abc', '127.0.0.1', WINDOWS_CHROME)); // 4: bad cost → 0, without cost
    clicks.push(await clickOn('C', '', '127.0.0.1', IPHONE)); // 5

    const today = new Date().toISOString().slice(0, 10);
    const rates = await app.api('PUT', '/api/currency-rates', {
      rates: [{ currency: 'EUR', day: new Date(Date.now() - DAY).toISOString().slice(0, 10), rate: '1.2' }],
    });
    expect(rates.status).toBe(200);
    expect(await postback(`click_id=${clicks[0]}&payout=10&amount=30&txid=a0&status=approved`)).toBe('accepted');
    expect(await postback(`click_id=${clicks[2]}&payout=5&amount=12&currency=EUR&txid=a2&status=pending`)).toBe('accepted');
    expect(await postback(`click_id=${clicks[2]}&payout=5&amount=12&currency=EUR&txid=a2&status=approved`)).toBe('updated');
    expect(await postback(`click_id=${clicks[3]}&payout=3&currency=GBP&txid=b3&status=approved`)).toBe('accepted');
    expect(await postback(`click_id=${clicks[5]}&payout=20&txid=c5&status=approved`)).toBe('accepted');
    // Three UTC days around now: whatever the hour, every click above is inside.
    const from = new Date(Date.parse(today) - DAY).toISOString().slice(0, 10);
    const to = new Date(Date.parse(today) + 2 * DAY).toISOString().slice(0, 10);
    range = `from=${from}&to=${to}`;
  });

  afterAll(async () => {
    await app?.dispose();
    await receiver?.close();
    await dropDb?.();
  });

  it('reports each campaign: clicks, uniques, conversions, payout in the report currency, cost by model, profit and ratios', async () => {
    const r = await report('groupBy=campaign&sort=campaignName');
    expect(r.status).toBe(200);
    expect(r.body.currency).toBe('USD');
    const a = rowOf(r.body, 'campaign', ids.A);
    // A: cpc 0.05 × 3 clicks; 10 USD approved + 5 EUR × 1.2 moved pending → approved.
    expect(a).toMatchObject({
      campaignName: 'A',
      clicks: 3,
      uniqueClicks: 2,
      conversions: 2,
      approved: 2,
      pending: 0,
      payout: '16',
      approvedPayout: '16',
      saleAmount: '44.4',
      cost: '0.15',
      profit: '15.85',
      roi: '105.666667',
      cr: '0.666667',
      epc: '5.333333',
      cpa: '0.075',
      unconvertedConversions: 0,
    });
    // B: auto cost from the URL; the GBP conversion has no rate: counted, its money left out.
    expect(rowOf(r.body, 'campaign', ids.B)).toMatchObject({
      clicks: 2,
      uniqueClicks: 2,
      clicksWithoutCost: 1,
      cost: '0.02',
      approved: 1,
      conversions: 1,
      payout: '0',
      unconvertedConversions: 1,
    });
    // C: revshare 40 % of 20.
    expect(rowOf(r.body, 'campaign', ids.C)).toMatchObject({ clicks: 1, payout: '20', cost: '8', profit: '12', roi: '1.5', epc: '20', cpa: '8' });
    expect(r.body.totals).toMatchObject({ clicks: 6, uniqueClicks: 5, conversions: 4, payout: '36', cost: '8.17', profit: '27.83', unconvertedConversions: 1 });
  });

  it('groups by country and device from the enriched clicks, and by sub id from the raw tables', async () => {
    const byDevice = await report(`groupBy=country,deviceType&campaign=${ids.A}`);
    expect(byDevice.status).toBe(200);
    expect(byDevice.body.rows.map((row) => [row.country, row.deviceType, row.clicks])).toEqual([
      ['', 'desktop', 1],
      ['US', 'mobile', 2],
    ]);
    const bySub = await report(`groupBy=sub1&campaign=${ids.A}`);
    expect(bySub.body.rows.map((row) => [row.sub1, row.clicks, row.uniqueClicks, row.conversions, row.payout, row.cost])).toEqual([
      ['x', 2, 1, 1, '10', '0.1'],
      ['y', 1, 1, 1, '6', '0.05'],
    ]);
    const browsers = await report(`groupBy=os,browser&campaign=${ids.A}&sort=-clicks`);
    expect(browsers.body.rows[0]).toMatchObject({ os: 'iOS', clicks: 2 });
  });

  it('counts in the hours of a +05:45 zone and gives the same totals whatever the zone', async () => {
    const r = await report('groupBy=hour&tz=Asia/Kathmandu');
    expect(r.status).toBe(200);
    for (const row of r.body.rows) expect(row.hour).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:00\+05:45$/);
    expect(r.body.totals).toMatchObject({ clicks: 6, payout: '36', cost: '8.17' });
    const byConversionTime = await report('groupBy=day&attributeBy=conversion&tz=America/New_York');
    expect(byConversionTime.body.totals).toMatchObject({ conversions: 4, payout: '36' });
  });

  it('gives each campaign the same figures by day in a whole-hour zone, a +05:45 zone and by hour in UTC (coarse totals and their ragged ends)', async () => {
    // Money summed here from the decimal strings, in millionths: no floats, no code under test.
    const micros = (v: string) => {
      const [whole, frac = ''] = v.split('.');
      return BigInt(whole) * 1_000_000n + BigInt((frac + '000000').slice(0, 6));
    };
    const want = { [ids.A]: [3, 2, 16_000_000n, 150_000n], [ids.B]: [2, 1, 0n, 20_000n], [ids.C]: [1, 1, 20_000_000n, 8_000_000n] };
    for (const query of ['groupBy=day,campaign&tz=Europe/Berlin', 'groupBy=day,campaign&tz=Asia/Kathmandu', 'groupBy=hour,campaign&tz=UTC']) {
      const r = await report(query);
      expect(r.status).toBe(200);
      const sums = new Map<string, [number, number, bigint, bigint]>();
      for (const row of r.body.rows) {
        const s = sums.get(row.campaign as string) ?? [0, 0, 0n, 0n];
        sums.set(row.campaign as string, [
          s[0] + (row.clicks as number),
          s[1] + (row.conversions as number),
          s[2] + micros(row.payout as string),
          s[3] + micros(row.cost as string),
        ]);
      }
      expect(Object.fromEntries(sums)).toEqual(want);
    }
  });

  it('streams the report and the conversions as CSV', async () => {
    const res = await fetch(`${app.url}/api/reports/stats?${range}&groupBy=campaign&sort=campaignName`, { headers: { ...headers, accept: 'text/csv' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = (await res.text()).trim().split('\r\n');
    expect(lines[0].startsWith('campaign,campaignName,clicks,uniqueClicks')).toBe(true);
    expect(lines).toHaveLength(4);
    const header = lines[0].split(',');
    const a = lines[1].split(',');
    expect(a[header.indexOf('campaignName')]).toBe('A');
    expect(a[header.indexOf('cost')]).toBe('0.15');
    expect(a[header.indexOf('payout')]).toBe('16');

    const conv = await fetch(`${app.url}/api/conversions?${range}&format=csv&campaign=${ids.A}`, { headers });
    expect(conv.status).toBe(200);
    const rows = (await conv.text()).trim().split('\r\n');
    expect(rows).toHaveLength(3);
    const h = rows[0].split(',');
    expect(
      rows
        .slice(1)
        .map((l) => [l.split(',')[h.indexOf('payout')], l.split(',')[h.indexOf('currency')], l.split(',')[h.indexOf('status')]])
        .sort(),
    ).toEqual([
      ['10', 'USD', 'approved'],
      ['5', 'EUR', 'approved'],
    ]);
  });

  it('shows the background fill of the sub-id value rollups in /health, and reports by sub id meanwhile', async () => {
    type Fill = { done: number; pending: number; running: boolean };
    const fill = async () => (await getJson<{ reportRollups: { subValues: Fill } }>(`${app.url}/health`)).body.reportRollups.subValues;
    // The first pass looks right after boot; until then it shows as running.
    const deadline = Date.now() + 20_000;
    let seen = await fill();
    while (seen.running && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      seen = await fill();
    }
    // Today's clicks: no day has ended an hour ago, so nothing is written yet, and nothing waits.
    expect(seen).toEqual({ done: 0, pending: 0, running: false });
    const r = await report('groupBy=sub1&sort=sub1');
    expect(r.status).toBe(200);
    expect(r.body.rows.map((row) => [row.sub1, row.clicks])).toEqual([
      ['', 3],
      ['x', 2],
      ['y', 1],
    ]);
  });

  it('refuses bad queries with a 400 naming the parameter', async () => {
    const cases: Array<[string, string]> = [
      ['groupBy=colour', 'groupBy'],
      ['groupBy=day,hour', 'groupBy'],
      ['groupBy=day&tz=Mars/Olympus', 'tz'],
      ['groupBy=day&sort=-nope', 'sort'],
      ['groupBy=day&colour=red', 'colour'],
      ['groupBy=day&campaign=not-an-id', 'campaign.0'],
    ];
    for (const [query, param] of cases) {
      const r = await report(query);
      expect([query, r.status, r.body.param]).toEqual([query, 400, param]);
    }
    const backwards = await getJson<{ param: string }>(`${app.url}/api/reports/stats?from=2026-03-08&to=2026-03-01`, { headers });
    expect([backwards.status, backwards.body.param]).toEqual([400, 'to']);
    const tooLong = await getJson<{ param: string }>(`${app.url}/api/reports/stats?from=2024-01-01&to=2026-01-01`, { headers });
    expect([tooLong.status, tooLong.body.param]).toEqual([400, 'to']);
    const offQuarter = await getJson<{ param: string }>(`${app.url}/api/reports/stats?from=2026-03-01T10:07:00Z&to=2026-03-02`, { headers });
    expect([offQuarter.status, offQuarter.body.param]).toEqual([400, 'from']);
  });

  it('stores nothing for a refused cost correction or rate update', async () => {
    const bad = await app.api<{ param: string }>('POST', `/api/campaigns/${ids.A}/costs`, {
      from: '2026-01-01T00:00:00Z',
      to: '2026-01-02T00:00:00Z',
      amount: '-5',
    });
    expect([bad.status, bad.body.param]).toEqual([400, 'amount']);
    const empty = await app.api<{ param: string }>('POST', `/api/campaigns/${ids.A}/costs`, {
      from: '2026-01-01T00:00:00Z',
      to: '2026-01-02T00:00:00Z',
      amount: '5',
    });
    expect([empty.status, empty.body.param]).toEqual([400, 'from']);
    const future = await app.api<{ param: string }>('POST', `/api/campaigns/${ids.A}/costs`, {
      from: '2026-01-01T00:00:00Z',
      to: '2999-01-01T00:00:00Z',
      amount: '5',
    });
    expect([future.status, future.body.param]).toEqual([400, 'to']);
    expect((await app.api<unknown[]>('GET', `/api/campaigns/${ids.A}/costs`)).body).toEqual([]);

    const before = (await app.api<{ rates: unknown[] }>('GET', '/api/currency-rates')).body.rates;
    const mixed = await app.api<{ param: string }>('PUT', '/api/currency-rates', {
      rates: [
        { currency: 'GBP', day: '2026-01-01', rate: '1.3' },
        { currency: 'EUR', day: '2026-01-01', rate: '0' },
      ],
    });
    expect([mixed.status, mixed.body.param]).toEqual([400, 'rates.1.rate']);
    expect((await app.api<{ rates: unknown[] }>('GET', '/api/currency-rates')).body.rates).toEqual(before);
    const r = await report('groupBy=campaign');
    expect(r.body.totals).toMatchObject({ cost: '8.17', unconvertedConversions: 1 });
  });

  it('changes a campaign cost model for the clicks that follow', async () => {
    const patched = await app.api<{ costModel: string; costValue: string }>('PATCH', `/api/campaigns/${ids.C}`, { costModel: 'cpc', costValue: '0.5' });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ costModel: 'cpc', costValue: '0.5' });
    const missing = await app.api<{ param: string }>('PATCH', `/api/campaigns/${ids.C}`, { costModel: 'cpa', costValue: null });
    expect([missing.status, missing.body.param]).toEqual([400, 'costValue']);
  });
});
