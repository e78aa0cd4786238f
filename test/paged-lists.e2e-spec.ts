import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { consoleContext, launchChromium, signInInBrowser } from './support/browser';
import type { Paged } from './support/paged';
import { PostwireProcess } from './support/postwire-process';
import { Receiver } from './support/receiver';
import { click, setUpCampaign, type Setup } from './support/scenario';
import { waitUntil } from './support/wait-until';

const ADMIN = { email: 'pages@agency.test', password: 'correct horse battery staple' };
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const CONVERSIONS = 515;
/** Conversion i: campaign B for every fifth, declined for i ≡ 1 (mod 4), else approved. */
const inB = (i: number) => i % 5 === 0;
const declined = (i: number) => i % 4 === 1;
const count = (keep: (i: number) => boolean) => Array.from({ length: CONVERSIONS }, (_, i) => i).filter(keep).length;

type Conversion = { id: string; campaignId: string; status: string; createdAt: string };
type Delivery = { id: string; status: string; conversionId: string };

/**
 * The paged lists over real HTTP, past 500 rows: 515 conversions booked by real postbacks and their 515
 * deliveries to a local receiver; pages with totals, each filter, a bad parameter named, and the CSV exports'
 * row counts; then the console's conversions screen paging past 500 in Chromium.
 */
describe('paged lists past 500 rows', () => {
  let app: PostwireProcess;
  let receiver: Receiver;
  let setup: Setup;
  let campaignB: string;
  let browser: Browser | undefined;

  const get = async <T>(path: string) => {
    const res = await app.api<T>('GET', path);
    expect([path, res.status]).toEqual([path, 200]);
    return res.body;
  };
  const csvLines = async (path: string, accept?: string) => {
    const res = await fetch(`${app.url}${path}`, { headers: { authorization: `Bearer ${app.env.ADMIN_API_KEY}`, ...(accept ? { accept } : {}) } });
    expect([path, res.status, res.headers.get('content-type')]).toEqual([path, 200, 'text/csv; charset=utf-8']);
    return (await res.text()).trim().split('\r\n');
  };

  beforeAll(async () => {
    receiver = await Receiver.start({ keepRequests: false });
    app = await PostwireProcess.start({ database: 'postgres' });
    setup = await setUpCampaign(app, receiver.url, { networkSlug: 'pages' });
    const b = await app.api<{ id: string }>('POST', '/api/campaigns', { name: 'Campaign B', trafficSourceId: setup.trafficSourceId, offerId: setup.offerId });
    campaignB = b.body.id;
    // Eight at a time: real clicks and real postbacks, each conversion its own txid.
    for (let start = 0; start < CONVERSIONS; start += 8) {
      await Promise.all(
        Array.from({ length: Math.min(8, CONVERSIONS - start) }, async (_, k) => {
          const i = start + k;
          const clickId = await click(app, inB(i) ? campaignB : setup.campaignId);
          const res = await fetch(`${app.url}/postback/pages?click_id=${clickId}&amount=10&txid=tx-${i}&status=${declined(i) ? 'declined' : 'approved'}`);
          expect([i, res.status]).toEqual([i, 200]);
        }),
      );
    }
    await waitUntil(
      async () => {
        const pending = await get<Paged<Delivery>>('/api/deliveries?status=pending&limit=1');
        const all = await get<Paged<Delivery>>('/api/deliveries?limit=1');
        return pending.total === 0 && all.total === CONVERSIONS;
      },
      60_000,
      'the 515 deliveries to be sent',
    );
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await app?.dispose();
    await receiver?.close();
  });

  it('pages the conversions past 500 with the total, 50 by default', async () => {
    const first = await get<Paged<Conversion>>('/api/conversions');
    expect(first).toMatchObject({ total: CONVERSIONS, totalIsLowerBound: false, limit: 50, offset: 0 });
    expect(first.items).toHaveLength(50);
    const big = await get<Paged<Conversion>>('/api/conversions?limit=500');
    const rest = await get<Paged<Conversion>>('/api/conversions?limit=500&offset=500');
    expect([big.items.length, rest.items.length, rest.total]).toEqual([500, 15, CONVERSIONS]);
    const ids = [...big.items, ...rest.items].map((c) => c.id);
    expect(new Set(ids).size).toBe(CONVERSIONS);
    expect(big.items.slice(0, 50).map((c) => c.id)).toEqual(first.items.map((c) => c.id));
    const times = [...big.items, ...rest.items].map((c) => Date.parse(c.createdAt));
    expect(times).toEqual([...times].sort((x, y) => y - x));
  });

  it('filters the conversions by status, campaign, network, source and time, each with its total', async () => {
    const total = async (query: string) => (await get<Paged<Conversion>>(`/api/conversions?limit=1&${query}`)).total;
    expect(await total('status=declined')).toBe(count(declined));
    expect(await total(`campaignId=${campaignB}`)).toBe(count(inB));
    expect(await total(`campaignId=${campaignB}&status=approved`)).toBe(count((i) => inB(i) && !declined(i)));
    expect(await total(`networkId=${setup.networkId}`)).toBe(CONVERSIONS);
    expect(await total(`trafficSourceId=${setup.trafficSourceId}&status=declined`)).toBe(count(declined));
    // The 100 newest by their own times: from the 100th newest's time on.
    const page = await get<Paged<Conversion>>('/api/conversions?limit=500');
    const hundredth = page.items[99].createdAt;
    const sameTime = page.items.filter((c) => c.createdAt === hundredth).length;
    const from = await total(`from=${encodeURIComponent(hundredth)}`);
    expect(from).toBeGreaterThanOrEqual(100);
    expect(from).toBeLessThan(100 + sameTime);
    expect(await total(`to=${encodeURIComponent(hundredth)}`)).toBe(CONVERSIONS - from);
    expect(await total('from=2099-01-01T00:00:00Z')).toBe(0);
  });

  it('refuses a bad page or filter with a 400 naming it', async () => {
    for (const [query, param] of [
      ['limit=501', 'limit'],
      ['limit=0', 'limit'],
      ['offset=-1', 'offset'],
      ['offset=1000001', 'offset'],
      ['status=lost', 'status'],
      ['from=yesterday', 'from'],
      ['from=2026-03-02&to=2026-03-01', 'to'],
      ['colour=red', 'colour'],
    ]) {
      for (const list of ['conversions', 'deliveries']) {
        const res = await app.api<{ error: string; param: string }>('GET', `/api/${list}?${query}`);
        expect([list, query, res.status, res.body.error, res.body.param]).toEqual([list, query, 400, 'bad_parameter', param]);
      }
    }
    const audit = await app.api<{ param: string }>('GET', '/api/audit-log?limit=501');
    expect([audit.status, audit.body.param]).toEqual([400, 'limit']);
  });

  it('exports every filtered conversion as CSV, past the page size', async () => {
    const all = await csvLines('/api/conversions?format=csv');
    expect(all).toHaveLength(CONVERSIONS + 1);
    expect(all[0].split(',').slice(0, 3)).toEqual(['id', 'clickId', 'campaignId']);
    expect(new Set(all.slice(1).map((l) => l.split(',')[0])).size).toBe(CONVERSIONS);
    const header = all[0].split(',');
    const declinedRows = await csvLines(`/api/conversions?status=declined&campaignId=${campaignB}`, 'text/csv');
    expect(declinedRows).toHaveLength(count((i) => inB(i) && declined(i)) + 1);
    expect(declinedRows.slice(1).every((l) => l.split(',')[header.indexOf('status')] === 'declined')).toBe(true);
    // The paged list's first page is the CSV's first rows, in order.
    const page = await get<Paged<Conversion>>('/api/conversions?limit=20');
    expect(all.slice(1, 21).map((l) => l.split(',')[0])).toEqual(page.items.map((c) => c.id));
  });

  it('pages, filters and exports the deliveries past 500', async () => {
    const first = await get<Paged<Delivery>>('/api/deliveries?limit=500');
    const rest = await get<Paged<Delivery>>('/api/deliveries?limit=500&offset=500');
    expect([first.total, first.totalIsLowerBound, first.items.length, rest.items.length]).toEqual([CONVERSIONS, false, 500, 15]);
    expect(new Set([...first.items, ...rest.items].map((d) => d.id)).size).toBe(CONVERSIONS);
    expect((await get<Paged<Delivery>>(`/api/deliveries?limit=1&campaignId=${campaignB}`)).total).toBe(count(inB));
    expect((await get<Paged<Delivery>>(`/api/deliveries?limit=1&networkId=${setup.networkId}&status=delivered`)).total).toBe(CONVERSIONS);
    expect((await get<Paged<Delivery>>('/api/deliveries?limit=1&status=dead')).total).toBe(0);
    const csv = await csvLines('/api/deliveries?format=csv');
    expect(csv).toHaveLength(CONVERSIONS + 1);
    expect(csv[0]).toBe('id,conversionId,trafficSourceId,revision,event,method,url,status,attempts,lastStatusCode,lastError,createdAt,deliveredAt,isTest');
    expect((await csvLines(`/api/deliveries?format=csv&campaignId=${campaignB}`)).length).toBe(count(inB) + 1);
  });

  it('exports the audit log as CSV, one line per entry the page counts', async () => {
    const page = await get<Paged<{ id: string; entityType: string }>>('/api/audit-log?entityType=campaign');
    expect(page).toMatchObject({ total: 2, totalIsLowerBound: false });
    const csv = await csvLines('/api/audit-log?entityType=campaign&format=csv');
    expect(csv.slice(1).map((l) => l.split(',')[0])).toEqual(page.items.map((r) => r.id));
  });

  it('pages past 500 conversions in the console, filters in the URL, exports the filtered rows, and says when a history is cut', async () => {
    expect((await app.api('POST', '/api/users', { ...ADMIN, role: 'admin' })).status).toBe(201);
    browser = await launchChromium();
    const page: Page = await (await consoleContext(browser, { viewport: { width: 1280, height: 900 } })).newPage();
    await signInInBrowser(page, app.url, ADMIN);

    await page.goto(`${app.url}/console/conversions`);
    const status = page.getByTestId('pager-status');
    await waitUntil(async () => (await status.textContent()) === '1–50 of 515', 15_000, 'the first page of 515');
    expect(await page.getByTestId('conversion-row').count()).toBe(50);
    await page.getByLabel('Rows per page').selectOption('500');
    await waitUntil(async () => (await status.textContent()) === '1–500 of 515', 15_000, 'a page of 500');
    await page.getByRole('button', { name: 'Next' }).click();
    await waitUntil(async () => (await status.textContent()) === '501–515 of 515', 15_000, 'the rows past 500');
    expect(await page.getByTestId('conversion-row').count()).toBe(15);
    expect(new URL(page.url()).searchParams.get('offset')).toBe('500');
    expect(await page.getByRole('button', { name: 'Next' }).isDisabled()).toBe(true);
    // The page is in the URL: a reload shows the same rows.
    await page.reload();
    await waitUntil(async () => (await status.textContent()) === '501–515 of 515', 15_000, 'the same page after a reload');

    // A filter starts again at the first page, and the export downloads exactly the filtered rows.
    await page.getByRole('textbox', { name: 'Status' }).click();
    await page.getByRole('option', { name: 'declined' }).click();
    const declinedCount = count(declined);
    await waitUntil(async () => (await status.textContent()) === `1–${declinedCount} of ${declinedCount}`, 15_000, 'the declined ones');
    expect(new URL(page.url()).searchParams.get('offset')).toBeNull();
    const href = await page.getByRole('link', { name: 'Export CSV' }).getAttribute('href');
    expect(href).toMatch(/^\/api\/conversions\?.*status=declined.*format=csv/);
    const text = await page.evaluate(async (url) => (await fetch(url)).text(), href!);
    expect(text.trim().split('\r\n')).toHaveLength(declinedCount + 1);

    // The date range (days in the user's zone, UTC here, both included) is in the URL too.
    const newest = (await get<Paged<Conversion>>('/api/conversions?limit=1')).items[0].createdAt.slice(0, 10);
    const dayAfter = new Date(Date.parse(`${newest}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    const dayBefore = new Date(Date.parse(`${newest}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    await page.getByLabel('From day').fill(dayBefore);
    await page.getByLabel('To day (included)').fill(newest);
    await waitUntil(async () => new URL(page.url()).searchParams.get('to') === newest, 15_000, 'the range in the URL');
    await waitUntil(async () => (await status.textContent()) === `1–${declinedCount} of ${declinedCount}`, 15_000, 'every declined one in range');
    // The day after the newest conversion, a range the date pickers allow (From is capped by To): nothing matches.
    await page.getByLabel('To day (included)').fill(dayAfter);
    await page.getByLabel('From day').fill(dayAfter);
    await waitUntil(async () => new URL(page.url()).searchParams.get('from') === dayAfter, 15_000, 'the day after in the URL');
    await page.getByRole('heading', { name: 'No conversions match these filters' }).waitFor();
    await page.getByLabel('From day').fill('');
    await page.getByLabel('To day (included)').fill('');

    // An item's history shows its 50 newest changes and says how many there are.
    for (let n = 0; n < 51; n++) expect((await app.api('PATCH', `/api/campaigns/${campaignB}`, { tags: [`t${n}`] })).status).toBe(200);
    const trail = await get<Paged<unknown>>(`/api/campaigns/${campaignB}/audit-log?limit=1`);
    expect(trail.total).toBe(52);
    await page.goto(`${app.url}/console/setup/campaigns`);
    await page.getByRole('button', { name: 'Actions for Campaign B', exact: true }).click();
    await page.getByRole('menuitem', { name: 'History', exact: true }).click();
    await page.getByTestId('history-cut').waitFor();
    expect(await page.getByTestId('history-cut').textContent()).toBe('The 50 newest of 52 changes.');
    expect(await page.getByTestId('history-entry').count()).toBe(50);
    await page.keyboard.press('Escape');
    await page.goto(`${app.url}/console/conversions?status=declined&limit=500`);
    await waitUntil(async () => (await status.textContent()) === `1–${declinedCount} of ${declinedCount}`, 15_000, 'the declined ones again');

    // axe on what this screen adds (filters, pager, export) and the rest of the page, except the status badges:
    // their contrast (4.48:1 for "declined") is the accessibility piece's, which changes the badge colours.
    await page.evaluate(AXE);
    const violations = await page.evaluate<Array<{ id: string; impact: string; nodes: string[] }>>(
      "axe.run({ exclude: [['.mantine-Badge-root']] }, { resultTypes: ['violations'] }).then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(' ') + ' ' + (n.failureSummary || '').slice(0, 200)) })))",
    );
    expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
  });
});
