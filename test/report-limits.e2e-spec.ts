import { Client } from 'pg';
import { createPostgresDatabase } from '../libs/persistence/src/test-support/databases';
import { ADMIN_KEY, PostwireProcess } from './support/postwire-process';
import { getJson } from './support/scenario';
import { waitUntil } from './support/wait-until';

const DAY = 86_400_000;
const SUB_VALUES = 25;

interface Page {
  rows: Array<Record<string, string | number | null>>;
  totals: Record<string, string | number | null>;
  totalRows: number;
  nextCursor: string | null;
  error?: string;
  param?: string;
  message?: string;
}

/**
 * A report's bounds over HTTP on PostgreSQL: pages by cursor with totals over every row, the 400s
 * for a page too large or a cursor of another query, CSV pages, and the time limit (cancelled in
 * PostgreSQL, 503) and concurrency cap (429) of the reports' own pool.
 */
describe('report limits', () => {
  let app: PostwireProcess;
  let dropDb: () => Promise<void>;
  let dbUrl: string;
  let range: string;
  const headers = { authorization: `Bearer ${ADMIN_KEY}` };
  const report = (query: string) => getJson<Page>(`${app.url}/api/reports/stats?${range}&${query}`, { headers });

  beforeAll(async () => {
    const db = await createPostgresDatabase();
    dbUrl = db.url;
    dropDb = db.drop;
    app = await PostwireProcess.start({ env: { DATABASE_URL: db.url, REPORT_TIMEOUT_MS: '1000', REPORT_CONCURRENCY: '1' } });
    const network = await app.api<{ id: string }>('POST', '/api/networks', { name: 'Net', adapter: 'generic' });
    const offer = await app.api<{ id: string }>('POST', '/api/offers', {
      name: 'Offer',
      networkId: network.body.id,
      url: 'https://offer.example/?c={click_id}',
      payout: '1',
    });
    const source = await app.api<{ id: string }>('POST', '/api/traffic-sources', { name: 'Src', postbackUrl: 'https://src.example/pb' });
    const campaign = await app.api<{ id: string }>('POST', '/api/campaigns', {
      name: 'C',
      trafficSourceId: source.body.id,
      offerId: offer.body.id,
      costModel: 'cpc',
      costValue: '0.01',
    });
    // Value vNN gets NN + 1 clicks: 25 groups, 325 clicks.
    for (let v = 0; v < SUB_VALUES; v++) {
      const sub = `v${String(v).padStart(2, '0')}`;
      await Promise.all(
        Array.from({ length: v + 1 }, async () => {
          const res = await fetch(`${app.url}/c/${campaign.body.id}?sub1=${sub}`, { redirect: 'manual' });
          expect(res.status).toBe(302);
        }),
      );
    }
    const today = Date.parse(new Date().toISOString().slice(0, 10));
    range = `from=${new Date(today - DAY).toISOString().slice(0, 10)}&to=${new Date(today + 2 * DAY).toISOString().slice(0, 10)}`;
  }, 60_000);

  afterAll(async () => {
    await app?.dispose();
    await dropDb?.();
  });

  it('pages through every group with the cursor; totals and the row count cover rows not shown', async () => {
    const seen: Array<Record<string, unknown>> = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const r: { status: number; body: Page } = await report(`groupBy=sub1&sort=-clicks&limit=10${cursor ? `&cursor=${cursor}` : ''}`);
      expect(r.status).toBe(200);
      expect(r.body.totalRows).toBe(SUB_VALUES);
      expect(r.body.totals).toMatchObject({ clicks: 325, cost: '3.25' });
      seen.push(...r.body.rows);
      cursor = r.body.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    // Most clicks first: v24 (25 clicks) down to v00 (1 click), each value once.
    expect(seen.map((row) => [row.sub1, row.clicks])).toEqual(
      Array.from({ length: SUB_VALUES }, (_, i) => [`v${String(SUB_VALUES - 1 - i).padStart(2, '0')}`, SUB_VALUES - i]),
    );
  });

  it('refuses a page over the limit and a cursor of another query or none at all, naming the parameter', async () => {
    const tooMany = await report('groupBy=sub1&limit=10001');
    expect([tooMany.status, tooMany.body.param]).toEqual([400, 'limit']);
    const first = await report('groupBy=sub1&limit=5');
    const otherQuery = await report(`groupBy=sub1&sort=-clicks&limit=5&cursor=${first.body.nextCursor}`);
    expect([otherQuery.status, otherQuery.body.param]).toEqual([400, 'cursor']);
    expect(otherQuery.body.message).toMatch(/another report query/);
    const garbage = await report('groupBy=sub1&cursor=not-a-cursor');
    expect([garbage.status, garbage.body.param]).toEqual([400, 'cursor']);
  });

  it('writes CSV pages with the same bounds, the next cursor and the row count in headers', async () => {
    const res = await fetch(`${app.url}/api/reports/stats?${range}&groupBy=sub1&sort=sub1&limit=10&format=csv`, { headers });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-total-rows')).toBe(String(SUB_VALUES));
    const lines = (await res.text()).trim().split('\r\n');
    expect(lines).toHaveLength(11);
    expect(lines[1]).toMatch(/^v00,1,/);
    const next = await fetch(`${app.url}/api/reports/stats?${range}&groupBy=sub1&sort=sub1&limit=10&format=csv&cursor=${res.headers.get('x-next-cursor')}`, {
      headers,
    });
    expect((await next.text()).trim().split('\r\n')[1]).toMatch(/^v10,11,/);
  });

  it('cancels a report past REPORT_TIMEOUT_MS in PostgreSQL (503) and refuses one past REPORT_CONCURRENCY (429)', async () => {
    const locker = new Client({ connectionString: dbUrl });
    await locker.connect();
    const reportSessions = async (extra: string) =>
      (
        await locker.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'postwire-reports' AND datname = current_database() AND ${extra}`,
        )
      ).rows[0].n;
    try {
      // A lock held by this session makes the report wait: a slow report, deterministically.
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE sub_click_rollups IN ACCESS EXCLUSIVE MODE');
      const slow = report('groupBy=sub1');
      await waitUntil(async () => (await reportSessions(`wait_event_type = 'Lock'`)) === 1, 5000, 'the report to wait on the lock');

      const second = await fetch(`${app.url}/api/reports/stats?${range}&groupBy=campaign`, { headers });
      expect(second.status).toBe(429);
      expect(second.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(((await second.json()) as { error: string }).error).toBe('too_many_reports');

      const timedOut = await slow;
      expect([timedOut.status, timedOut.body.error]).toEqual([503, 'report_timeout']);
      expect(timedOut.body.message).toMatch(/REPORT_TIMEOUT_MS \(1000 ms\)/);
      // Cancelled in the server, not abandoned: with the lock still held, an abandoned statement would still wait on it.
      await waitUntil(async () => (await reportSessions(`wait_event_type = 'Lock'`)) === 0, 3000, 'the cancelled report to stop waiting in PostgreSQL');
    } finally {
      await locker.query('ROLLBACK');
      await locker.end();
    }
    expect((await report('groupBy=sub1&limit=1')).status).toBe(200);
  });
});
