import { readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { newClickId } from '../libs/core/src';
import { PostgresClient } from '../libs/persistence/src/client/postgres-client';
import { ClickRepository } from '../libs/persistence/src/repositories/click.repository';
import { createPostgresDatabase } from '../libs/persistence/src/test-support/databases';
import { consoleContext, launchChromium, signInInBrowser } from './support/browser';
import { ADMIN_KEY, PostwireProcess } from './support/postwire-process';
import { getJson } from './support/scenario';
import { waitUntil } from './support/wait-until';

const DAY = 86_400_000;
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const ADMIN = { email: 'pairs@agency.test', password: 'correct horse battery staple' };
type Row = Record<string, string | number | null>;
interface Report {
  rows: Row[];
  totals: Row;
  totalRows: number;
  approximation?: { kind: string; headPairs: number | null; rows: string[] };
  param?: string;
}

/**
 * `groupBy=sub1,sub2` over all campaigns, answered from the pair grain (migration 034) once the
 * tracker's background job has written it, with REPORT_PAIR_HEAD=2 so cuts happen on a few clicks.
 * Clicks are stored straight into two past UTC days (HTTP clicks are always "now", and only ended days
 * are compacted). Expected figures are worked out by hand below. PostgreSQL only: the test writes
 * into the tracker's database while it runs.
 */
describe('sub1,sub2 reports from the pair grain', () => {
  let app: PostwireProcess;
  let dropDb: (() => Promise<void>) | undefined;
  let range: string;
  let browser: Browser | undefined;
  const headers = { authorization: `Bearer ${ADMIN_KEY}` };
  const report = (query: string) => getJson<Report>(`${app.url}/api/reports/stats?${range}&${query}`, { headers });

  beforeAll(async () => {
    const db = await createPostgresDatabase();
    dropDb = db.drop;
    app = await PostwireProcess.start({ env: { DATABASE_URL: db.url, REPORT_PAIR_HEAD: '2' } });
    const network = await app.api<{ id: string }>('POST', '/api/networks', { name: 'Net', adapter: 'generic' });
    const offer = await app.api<{ id: string }>('POST', '/api/offers', {
      name: 'O',
      networkId: network.body.id,
      url: 'https://o.example/?c={click_id}',
      payout: '1',
    });
    const source = await app.api<{ id: string }>('POST', '/api/traffic-sources', { name: 'S', postbackUrl: 'https://s.example/pb' });
    const campaign = await app.api<{ id: string }>('POST', '/api/campaigns', { name: 'C', trafficSourceId: source.body.id, offerId: offer.body.id });
    expect(campaign.status).toBe(201);

    // Day 1: a|x 5, a|y 3, b|x 2, c|z 1 → kept a|x, a|y; cut b|x, c|z (3 clicks).
    // Day 2: b|x 4, a|x 1, d|w 1 → kept b|x, a|x (a before d among the ties); cut d|w (1 click).
    const day1 = Math.floor(Date.now() / DAY) * DAY - 3 * DAY;
    const plan: Array<[number, string, string, number]> = [
      [day1, 'a', 'x', 5],
      [day1, 'a', 'y', 3],
      [day1, 'b', 'x', 2],
      [day1, 'c', 'z', 1],
      [day1 + DAY, 'b', 'x', 4],
      [day1 + DAY, 'a', 'x', 1],
      [day1 + DAY, 'd', 'w', 1],
    ];
    const client = new PostgresClient({ connectionString: db.url, max: 1 });
    let n = 0;
    const clicks = plan.flatMap(([day, sub1, sub2, count]) =>
      Array.from({ length: count }, () => {
        const at = day + 3_600_000 + n++ * 60_000;
        return { id: newClickId(at), campaignId: campaign.body.id, subs: { sub1, sub2 }, createdAt: new Date(at) };
      }),
    );
    await new ClickRepository(client).insertMany(clicks);
    await client.close();
    range = `from=${new Date(day1).toISOString().slice(0, 10)}&to=${new Date(day1 + 2 * DAY).toISOString().slice(0, 10)}`;

    // The background job writes ended days at boot: restart, then wait until it has written them.
    await app.stop();
    await app.boot();
    type Fill = { done: number; pending: number; running: boolean };
    const deadline = Date.now() + 30_000;
    let fill: Fill | undefined;
    do {
      await new Promise((r) => setTimeout(r, 200));
      fill = (await getJson<{ reportRollups: { subPairs: Fill } }>(`${app.url}/health`)).body.reportRollups.subPairs;
    } while ((fill.running || fill.done === 0) && Date.now() < deadline);
    expect(fill).toMatchObject({ pending: 0, running: false });
    expect(fill.done).toBeGreaterThan(0);
  });

  afterAll(async () => {
    await browser?.close();
    await app?.dispose();
    await dropDb?.();
  });

  it('lists the kept pairs, marks the cut ones as lower bounds, sums the rest as (other), and keeps the totals exact', async () => {
    const r = await report('groupBy=sub1,sub2&sort=-clicks');
    expect(r.status).toBe(200);
    expect(r.body.rows.map((row) => [row.sub1, row.sub2, row.clicks])).toEqual([
      ['a', 'x', 6], // kept both days: exact
      ['b', 'x', 4], // cut on day 1 (2 clicks there): a lower bound of 6
      [null, null, 4], // (other): b|x 2 + c|z 1 + d|w 1
      ['a', 'y', 3], // kept on day 1, cut on day 2 (where it had none): may be low, so marked
    ]);
    expect(r.body.approximation).toEqual({ kind: 'head_pairs', headPairs: 2, rows: ['exact', 'lowerBound', 'other', 'lowerBound'] });
    expect(r.body.totals.clicks).toBe(17);
    expect(r.body.totalRows).toBe(4);

    const csv = await fetch(`${app.url}/api/reports/stats?${range}&groupBy=sub1,sub2&sort=-clicks&format=csv`, { headers });
    const lines = (await csv.text()).trim().split('\r\n');
    expect(lines[0].split(',').at(-1)).toBe('approximation');
    expect(lines.slice(1).map((l) => l.split(',').at(-1))).toEqual(['exact', 'lowerBound', 'other', 'lowerBound']);
  });

  it('answers exactly with exact=true, and for a campaign-filtered report', async () => {
    const exact = await report('groupBy=sub1,sub2&sort=-clicks,sub1&exact=true');
    expect(exact.status).toBe(200);
    expect(exact.body.approximation).toBeUndefined();
    expect(exact.body.rows.map((row) => [row.sub1, row.sub2, row.clicks])).toEqual([
      ['a', 'x', 6],
      ['b', 'x', 6],
      ['a', 'y', 3],
      ['c', 'z', 1],
      ['d', 'w', 1],
    ]);
    expect(exact.body.totals.clicks).toBe(17);
    const byCountry = await report('groupBy=sub1,sub2&country=ZZ');
    expect(byCountry.status).toBe(200);
    expect(byCountry.body.approximation).toBeUndefined();
  });

  it('refuses bad combinations with a 400 naming the parameter', async () => {
    for (const [query, param] of [
      ['groupBy=sub1,sub2&exact=maybe', 'exact'],
      ['groupBy=sub1,sub2&compare=previous', 'compare'],
    ]) {
      const r = await report(query);
      expect([query, r.status, r.body.param]).toEqual([query, 400, param]);
    }
    expect((await report('groupBy=sub1,sub2&compare=previous&exact=true')).status).toBe(200);
    expect((await report('groupBy=sub1&compare=previous')).status).toBe(200);
  });

  it('shows the approximation in the console: a notice above the table, marked rows, (other), and the exact figures on request', async () => {
    expect((await app.api('POST', '/api/users', { ...ADMIN, role: 'admin', timeZone: 'UTC' })).status).toBe(201);
    browser = await launchChromium();
    const page = await (await consoleContext(browser, { viewport: { width: 1440, height: 900 } })).newPage();
    await signInInBrowser(page, app.url, ADMIN);

    await page.goto(`${app.url}/console/reports?range=custom&${range}&groupBy=sub1,sub2&sort=-clicks`);
    const notice = page.getByTestId('report-approximation');
    await notice.waitFor();
    expect(await notice.textContent()).toContain('keeps the top 2 pairs of sub1 × sub2 by clicks exactly');
    const rows = page.getByTestId('report-row');
    expect(await rows.count()).toBe(4);
    expect(await rows.nth(1).textContent()).toContain('lower bound');
    expect(await rows.nth(2).textContent()).toContain('(other)');
    expect(await page.getByTestId('row-lower-bound').count()).toBe(2);
    await page.waitForTimeout(300);
    await page.evaluate(AXE);
    const violations = await page.evaluate<Array<{ id: string; impact: string }>>(
      "axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact })))",
    );
    expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);

    await page.getByTestId('report-exact').click();
    await notice.waitFor({ state: 'detached' });
    await waitUntil(async () => (await rows.count()) === 5, 10_000, 'the exact rows');
    expect(await page.getByTestId('row-lower-bound').count()).toBe(0);
  }, 120_000);
});
