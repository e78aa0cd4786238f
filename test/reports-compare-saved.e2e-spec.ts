import { newClickId } from '@postwire/core';
import { PostgresClient, rebuildReportRollups } from '@postwire/persistence';
import { createPostgresDatabase } from '../libs/persistence/src/test-support/databases';
import { ConsoleSession } from './support/console-session';
import { ADMIN_KEY, PostwireProcess } from './support/postwire-process';
import { getJson } from './support/scenario';
import { waitUntil } from './support/wait-until';

const DAY = 86_400_000;
type Figures = Record<string, string | number | null>;
interface Compared {
  rows: Figures[];
  totals: Figures;
  compare: { from: string; to: string; totals: Figures; changes: Record<string, { delta: string | null; change: string | null }>; rows: Array<Figures | null> };
}

/**
 * The previous-period comparison and saved reports, over HTTP against PostgreSQL. Yesterday's clicks
 * are written into the database with yesterday's time (a tracker only ever stores clicks "now"), and
 * their report figures rebuilt as a backfill does; everything else goes through /c/ and /postback.
 * Every expected figure is counted by hand from those requests.
 */
describe('report comparison and saved reports', () => {
  let app: PostwireProcess;
  let db: PostgresClient;
  let drop: () => Promise<void>;
  const ids = { A: '', B: '' };
  const today = new Date().toISOString().slice(0, 10);
  const yesterday = new Date(Date.parse(today) - DAY).toISOString().slice(0, 10);
  const tomorrow = new Date(Date.parse(today) + DAY).toISOString().slice(0, 10);
  const headers = { authorization: `Bearer ${ADMIN_KEY}` };
  const report = (query: string) => getJson<Compared & { error?: string; param?: string }>(`${app.url}/api/reports/stats?${query}`, { headers });

  async function clickNow(campaign: 'A' | 'B'): Promise<string> {
    const res = await fetch(`${app.url}/c/${ids[campaign]}`, { redirect: 'manual', headers: { 'user-agent': 'e2e' } });
    expect(res.status).toBe(302);
    return new URL(res.headers.get('location')!).searchParams.get('cid')!;
  }
  async function approve(clickId: string, payout: string, txid: string): Promise<void> {
    const res = await getJson<{ status: string }>(`${app.url}/postback?click_id=${clickId}&payout=${payout}&txid=${txid}&status=approved`);
    expect({ txid, status: res.body.status }).toEqual({ txid, status: 'accepted' });
  }

  beforeAll(async () => {
    const database = await createPostgresDatabase();
    drop = database.drop;
    app = await PostwireProcess.start({ env: { DATABASE_URL: database.url, REPORT_CURRENCY: 'USD' } });
    db = new PostgresClient({ connectionString: database.url, max: 2 });
    const network = await app.api<{ id: string }>('POST', '/api/networks', { name: 'Net', adapter: 'generic' });
    const offer = await app.api<{ id: string }>('POST', '/api/offers', {
      name: 'Offer',
      networkId: network.body.id,
      url: 'https://offer.example/?cid={click_id}',
    });
    const source = await app.api<{ id: string }>('POST', '/api/traffic-sources', { name: 'Src', postbackUrl: 'https://source.example/pb?e={external_id}' });
    expect(source.status).toBe(201);
    for (const [name, cost] of [
      ['A', { costModel: 'cpc', costValue: '0.05' }],
      ['B', {}],
    ] as const) {
      const res = await app.api<{ id: string }>('POST', '/api/campaigns', { name, trafficSourceId: source.body.id, offerId: offer.body.id, ...cost });
      expect(res.status).toBe(201);
      ids[name] = res.body.id;
    }

    // Yesterday at 10:00 UTC: 4 clicks on A (0.05 each, as cpc prices them) and 1 on B.
    const at = Date.parse(`${yesterday}T10:00:00Z`);
    const past: string[] = [];
    for (const [i, campaign, cost] of [
      [0, 'A', '0.05'],
      [1, 'A', '0.05'],
      [2, 'A', '0.05'],
      [3, 'A', '0.05'],
      [4, 'B', '0'],
    ] as const) {
      const id = newClickId(at + i * 1000);
      past.push(id);
      await db.query(`INSERT INTO clicks (id, campaign_id, created_at, cost, is_unique) VALUES ($1, $2, $3, $4, true)`, [
        id,
        ids[campaign],
        new Date(at + i * 1000),
        cost,
      ]);
    }
    await rebuildReportRollups(db, { from: new Date(`${yesterday}T00:00:00Z`), to: new Date(`${today}T00:00:00Z`) });
    await approve(past[0], '10', 'p0'); // A yesterday: 1 conversion, 10 USD

    // Today: 2 clicks on A (0.10 cost), 3 on B; A converts once for 4, B once for 6.
    const a = [await clickNow('A'), await clickNow('A')];
    const b = [await clickNow('B'), await clickNow('B'), await clickNow('B')];
    // Clicks are written in batches: wait until today's five are stored, so their postbacks find them.
    await waitUntil(async () => (await report(`from=${today}&to=${tomorrow}`)).body.totals.clicks === 5, 10_000, "today's clicks stored");
    await approve(a[0], '4', 't-a');
    await approve(b[2], '6', 't-b');
    // And the other statuses: B's first click declined (2), its second approved (7) then refunded.
    const send = async (query: string) => (await getJson<{ status: string }>(`${app.url}/postback?${query}`)).body.status;
    expect(await send(`click_id=${b[0]}&payout=2&txid=t-d&status=declined`)).toBe('accepted');
    expect(await send(`click_id=${b[1]}&payout=7&txid=t-r&status=approved`)).toBe('accepted');
    expect(await send(`click_id=${b[1]}&payout=7&txid=t-r&status=refunded`)).toBe('updated');
  });

  afterAll(async () => {
    await db?.close();
    await app?.dispose();
    await drop?.();
  });

  it('compares today with yesterday: totals, changes and each campaign', async () => {
    const r = await report(`from=${today}&to=${tomorrow}&tz=UTC&groupBy=campaign&sort=campaignName&compare=previous`);
    expect(r.status).toBe(200);
    expect(r.body.compare.from).toBe(`${yesterday}T00:00:00.000Z`);
    expect(r.body.compare.to).toBe(`${today}T00:00:00.000Z`);
    expect(r.body.totals).toMatchObject({ clicks: 5, conversions: 2, payout: '10', cost: '0.1', profit: '9.9' });
    expect(r.body.compare.totals).toMatchObject({ clicks: 5, conversions: 1, payout: '10', cost: '0.2', profit: '9.8' });
    // Counts and amounts per status: declined and refunded ones are in no other sum.
    expect(r.body.totals).toMatchObject({ approved: 2, pending: 0, declined: 1, refunded: 1 });
    expect(r.body.totals).toMatchObject({ approvedPayout: '10', pendingPayout: '0', declinedPayout: '2', refundedPayout: '7' });
    expect(r.body.compare.changes.refundedPayout).toEqual({ delta: '7', change: null });
    expect(r.body.compare.changes.clicks).toEqual({ delta: '0', change: '0' });
    expect(r.body.compare.changes.conversions).toEqual({ delta: '1', change: '1' });
    expect(r.body.compare.changes.cost).toEqual({ delta: '-0.1', change: '-0.5' });
    // CR: 2/5 = 0.4 now, 1/5 = 0.2 before.
    expect(r.body.compare.changes.cr).toEqual({ delta: '0.2', change: '1' });
    // Rows in campaign-name order: A then B; each with its own figures of yesterday.
    expect(r.body.rows.map((row) => row.campaign)).toEqual([ids.A, ids.B]);
    expect(r.body.rows[0]).toMatchObject({ clicks: 2, payout: '4' });
    expect(r.body.compare.rows[0]).toMatchObject({ clicks: 4, payout: '10', conversions: 1 });
    expect(r.body.rows[1]).toMatchObject({ clicks: 3, payout: '6' });
    expect(r.body.compare.rows[1]).toMatchObject({ clicks: 1, payout: '0', conversions: 0 });
  });

  it('pairs days with the days at the same place of the previous range', async () => {
    const r = await report(`from=${yesterday}&to=${tomorrow}&tz=UTC&groupBy=day&sort=day&compare=previous`);
    expect(r.status).toBe(200);
    expect(r.body.rows.map((row) => [row.day, row.clicks])).toEqual([
      [yesterday, 5],
      [today, 5],
    ]);
    // The two days before had no traffic: zeros, not unknown.
    expect(r.body.compare.rows.map((row) => row?.clicks)).toEqual([0, 0]);
    expect(r.body.compare.changes.clicks).toEqual({ delta: '10', change: null });
  });

  it('leaves compare out unless asked, and names a bad value', async () => {
    const plain = await report(`from=${today}&to=${tomorrow}&groupBy=campaign`);
    expect(plain.status).toBe(200);
    expect(plain.body).not.toHaveProperty('compare');
    const bad = await report(`from=${today}&to=${tomorrow}&compare=last-year`);
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: 'bad_parameter', param: 'compare' });
  });

  it('compares only what a client may see: its campaigns, without cost or profit', async () => {
    const made = await app.api('POST', '/api/users', {
      email: 'client@brand.example',
      password: 'client password 1234',
      role: 'client',
      campaignIds: [ids.A],
      hideProfit: true,
    });
    expect(made.status).toBe(201);
    const client = new ConsoleSession(app);
    expect((await client.signIn('client@brand.example', 'client password 1234')).status).toBe(200);
    const r = await client.request<Compared>('GET', `/api/reports/stats?from=${today}&to=${tomorrow}&tz=UTC&groupBy=campaign&compare=previous`);
    expect(r.status).toBe(200);
    expect(r.body.rows.map((row) => row.campaign)).toEqual([ids.A]);
    expect(r.body.compare.totals).toMatchObject({ clicks: 4, payout: '10' });
    expect(r.body.compare.rows[0]).toMatchObject({ clicks: 4 });
    for (const part of [r.body.compare.totals, r.body.compare.changes, r.body.compare.rows[0]!]) {
      expect(Object.keys(part).filter((k) => /^(cost|profit|roi|cpa)/.test(k))).toEqual([]);
    }
  });

  describe('saved reports', () => {
    const ann = () => new ConsoleSession(app);
    let alice: ConsoleSession;
    let bob: ConsoleSession;

    beforeAll(async () => {
      for (const email of ['alice@example.com', 'bob@example.com']) {
        const res = await app.api('POST', '/api/users', { email, password: 'correct horse battery', role: 'manager' });
        expect(res.status).toBe(201);
      }
      alice = ann();
      bob = ann();
      expect((await alice.signIn('alice@example.com', 'correct horse battery')).status).toBe(200);
      expect((await bob.signIn('bob@example.com', 'correct horse battery')).status).toBe(200);
    });

    it('keeps a user’s named report, renames and deletes it', async () => {
      const query = 'range=last-month&tz=Asia%2FKolkata&groupBy=campaign%2Cday&compare=previous';
      const saved = await alice.request<{ id: string; name: string; query: string }>('POST', '/api/saved-reports', { name: 'Monthly by campaign', query });
      expect(saved.status).toBe(201);
      expect(saved.body).toMatchObject({ name: 'Monthly by campaign', query });
      const again = await alice.request('POST', '/api/saved-reports', { name: 'monthly BY campaign', query: 'range=7d' });
      expect(again.status).toBe(409);
      expect(again.body).toMatchObject({ error: 'saved_report_name_taken', param: 'name' });
      const renamed = await alice.request('PATCH', `/api/saved-reports/${saved.body.id}`, { name: 'Month' });
      expect(renamed.body).toMatchObject({ name: 'Month', query });
      expect((await alice.request<Array<{ name: string }>>('GET', '/api/saved-reports')).body.map((s) => s.name)).toEqual(['Month']);
      expect((await alice.request('DELETE', `/api/saved-reports/${saved.body.id}`)).status).toBe(204);
      expect((await alice.request('GET', `/api/saved-reports/${saved.body.id}`)).status).toBe(404);
    });

    it('is not readable, changeable or deletable by another user', async () => {
      const saved = await alice.request<{ id: string }>('POST', '/api/saved-reports', { name: 'Mine', query: 'range=today' });
      expect(saved.status).toBe(201);
      expect((await bob.request('GET', `/api/saved-reports/${saved.body.id}`)).status).toBe(404);
      expect((await bob.request('PATCH', `/api/saved-reports/${saved.body.id}`, { name: 'Taken' })).status).toBe(404);
      expect((await bob.request('DELETE', `/api/saved-reports/${saved.body.id}`)).status).toBe(404);
      expect((await bob.request('GET', '/api/saved-reports')).body).toEqual([]);
      // Still Alice's, unchanged.
      expect((await alice.request('GET', `/api/saved-reports/${saved.body.id}`)).body).toMatchObject({ name: 'Mine', query: 'range=today' });
    });

    it('refuses bad input by name, and callers without a console session', async () => {
      const noName = await alice.request('POST', '/api/saved-reports', { name: ' ', query: 'range=7d' });
      expect(noName.status).toBe(400);
      expect(noName.body).toMatchObject({ error: 'bad_parameter', param: 'name' });
      const badQuery = await alice.request('POST', '/api/saved-reports', { name: 'X', query: '?range=7d' });
      expect(badQuery.body).toMatchObject({ error: 'bad_parameter', param: 'query' });
      const viaKey = await getJson(`${app.url}/api/saved-reports`, { headers });
      expect(viaKey.status).toBe(401);
      expect(viaKey.body).toMatchObject({ error: 'not_signed_in' });
    });
  });
});
