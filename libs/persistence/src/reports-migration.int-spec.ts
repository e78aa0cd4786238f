import { copyFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PgliteClient } from './client/pglite-client';
import { PostgresClient } from './client/postgres-client';
import type { SqlClient } from './client/sql-client';
import { migrate, MIGRATIONS_DIR } from './migrations/migrator';
import { StatsRepository } from './repositories/stats.repository';
import { BOTH_DRIVERS, createPostgresDatabase, TEST_PGLITE_OPTIONS } from './test-support/databases';

/** Migrations 005, 009, 013 and 020 on a database that already holds clicks and conversions: nothing lost, reports count them. */
describe.each(BOTH_DRIVERS)('migration 005 over existing data on %s', (driver) => {
  let client: SqlClient;
  let drop: () => Promise<void>;
  const before = mkdtempSync(join(tmpdir(), 'postwire-mig-'));

  beforeAll(async () => {
    for (const f of readdirSync(MIGRATIONS_DIR).filter((f) => /^00[1-4]_/.test(f))) copyFileSync(join(MIGRATIONS_DIR, f), join(before, f));
    if (driver === 'pglite') {
      const c = await PgliteClient.open(undefined, TEST_PGLITE_OPTIONS);
      client = c;
      drop = () => c.close();
    } else {
      const db = await createPostgresDatabase({ empty: true });
      const c = new PostgresClient({ connectionString: db.url, max: 2 });
      client = c;
      drop = async () => {
        await c.close();
        await db.drop();
      };
    }
  }, 60_000);

  afterAll(async () => {
    await drop?.();
    rmSync(before, { recursive: true, force: true });
  });

  it('keeps clicks and conversions, copies click fields onto conversions and fills the rollups', async () => {
    await migrate(client, before);
    const q = (sql: string, params: unknown[] = []) => client.query<Record<string, unknown>>(sql, params);
    const network = (await q(`INSERT INTO networks (name, slug, adapter) VALUES ('N', 'n', 'generic') RETURNING id`)).rows[0].id;
    const offer = (await q(`INSERT INTO offers (name, network_id, url, payout) VALUES ('O', $1, 'https://o.example', 2) RETURNING id`, [network])).rows[0].id;
    const source = (await q(`INSERT INTO traffic_sources (name, postback_url) VALUES ('S', 'https://s.example') RETURNING id`)).rows[0].id;
    const campaign = (await q(`INSERT INTO campaigns (name, traffic_source_id, offer_id) VALUES ('C', $1, $2) RETURNING id`, [source, offer])).rows[0].id;
    const at = '2026-03-01T10:00:00Z';
    await q(
      `INSERT INTO clicks (id, campaign_id, sub1, ip, user_agent, created_at) VALUES
       ('c1', $1, 'a', '1.1.1.1', 'UA', $2), ('c2', $1, 'a', '1.1.1.1', 'UA', $2::timestamptz + interval '1 hour'), ('c3', $1, 'b', '2.2.2.2', 'UA', $2)`,
      [campaign, at],
    );
    await q(
      `INSERT INTO conversions (click_id, campaign_id, network_id, status, payout, revenue, currency, source, created_at)
       VALUES ('c1', $1, $2, 'approved', 5, 9, 'USD', 's2s', $3::timestamptz + interval '2 hours'),
              ('c2', $1, $2, 'refunded', 4, 0, 'USD', 's2s', $3::timestamptz + interval '2 hours'),
              ('c3', $1, $2, 'declined', 3, 0, 'USD', 's2s', $3::timestamptz + interval '2 hours')`,
      [campaign, network, at],
    );
    await migrate(client);

    expect((await q('SELECT count(*)::int AS n FROM clicks')).rows[0].n).toBe(3);
    expect((await q(`SELECT sub1, click_at FROM conversions`)).rows[0]).toEqual({ sub1: 'a', click_at: new Date(at) });
    expect((await q(`SELECT id, is_unique FROM clicks ORDER BY id`)).rows.map((r) => r.is_unique)).toEqual([true, false, true]);
    const [group] = await new StatsRepository(client).groups({
      from: new Date('2026-03-01T00:00:00Z'),
      to: new Date('2026-03-02T00:00:00Z'),
      tz: 'UTC',
      groupBy: ['campaign'],
      filters: {},
      attributeBy: 'click',
      currency: 'USD',
    });
    expect(group.sums).toMatchObject({ clicks: 3n, uniqueClicks: 2n, approved: 1n, payout: 5_000_000n, saleAmount: 9_000_000n });
    // Migration 020 put the declined and refunded amounts of stored conversions into the totals and the 15-minute rollups.
    expect(group.sums).toMatchObject({ declined: 1n, refunded: 1n, declinedPayout: 3_000_000n, refundedPayout: 4_000_000n });
    const byCountry = await new StatsRepository(client).groups({
      from: new Date('2026-03-01T00:00:00Z'),
      to: new Date('2026-03-02T00:00:00Z'),
      tz: 'UTC',
      groupBy: ['country'],
      filters: {},
      attributeBy: 'click',
      currency: 'USD',
    });
    expect(byCountry.map((g) => [g.sums.declinedPayout, g.sums.refundedPayout])).toEqual([[3_000_000n, 4_000_000n]]);
    // Migration 009 filled the per-campaign totals at every grain: a +05:45 day reads quarters and hours.
    expect((await q('SELECT grain, sum(clicks)::int AS n FROM click_totals GROUP BY grain ORDER BY grain')).rows).toEqual([
      { grain: 900, n: 3 },
      { grain: 3600, n: 3 },
      { grain: 86400, n: 3 },
    ]);
    const byDay = await new StatsRepository(client).groups({
      from: new Date('2026-02-28T18:15:00Z'),
      to: new Date('2026-03-01T18:15:00Z'),
      tz: 'Asia/Kathmandu',
      groupBy: ['day'],
      filters: {},
      attributeBy: 'conversion',
      currency: 'USD',
    });
    expect(byDay.map((g) => [g.keys.day, g.sums.clicks, g.sums.approved, g.sums.payout])).toEqual([['2026-03-01', 3n, 1n, 5_000_000n]]);
    // Migration 013 filled the sub-id day rollups from the stored clicks: a sub1 report over whole UTC days reads them.
    expect((await q(`SELECT value, clicks::int AS n FROM sub_click_rollups WHERE sub = 1 ORDER BY value`)).rows).toEqual([
      { value: 'a', n: 2 },
      { value: 'b', n: 1 },
    ]);
    const bySub = await new StatsRepository(client).groups({
      from: new Date('2026-03-01T00:00:00Z'),
      to: new Date('2026-03-02T00:00:00Z'),
      tz: 'UTC',
      groupBy: ['sub1'],
      filters: {},
      attributeBy: 'click',
      currency: 'USD',
    });
    expect(bySub.map((g) => [g.keys.sub1, g.sums.clicks, g.sums.uniqueClicks, g.sums.approved])).toEqual([
      ['a', 2n, 1n, 1n],
      ['b', 1n, 1n, 0n],
    ]);
  });
});
