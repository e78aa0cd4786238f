import { newClickId } from '@postwire/core';
import { copyFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PgliteClient } from './client/pglite-client';
import { PostgresClient } from './client/postgres-client';
import type { SqlClient } from './client/sql-client';
import { migrate, MIGRATIONS_DIR } from './migrations/migrator';
import { ClickRetention } from './partitions/click-retention';
import { convertToPartitioned } from './partitions/partition-conversion';
import { CLICKS } from './partitions/partitioned-tables';
import { convertPostbackLog, isPartitionedLog } from './partitions/postback-log-conversion';
import { POSTBACK_LOG_EXPIRING, POSTBACK_LOG_LEGACY } from './partitions/postback-log-partitions';
import { preparePartitions } from './partitions/prepare-partitions';
import { dayPartitionName, legacyPartitionName, startOfUtcDay, TimePartitions } from './partitions/time-partitions';
import { ClickRepository } from './repositories/click.repository';
import { PostbackLogRetention } from './repositories/postback-log-retention';
import { PostbackRecorder } from './repositories/postback-recorder';
import { StatsRepository, type StatsQuery } from './repositories/stats.repository';
import { BOTH_DRIVERS, createPostgresDatabase, TEST_PGLITE_OPTIONS } from './test-support/databases';

const DAY = 86_400_000;
const CLICK_ROWS = 1500;

/**
 * A database made at migration 011 (no partitions) holding 60 days of clicks and a postback log (rows that
 * expire, and a conversion's history), then
 * upgraded: too large to convert at boot (here: over a limit of 100 rows), it keeps working plain until
 * the operator's conversion (`npm run db:partition`), which loses nothing and changes no report.
 */
describe.each(BOTH_DRIVERS)('converting an existing clicks table and postback log to partitions on %s', (driver) => {
  let client: SqlClient;
  let drop: () => Promise<void>;
  const at011 = mkdtempSync(join(tmpdir(), 'postwire-mig-'));
  const now = new Date();
  const today = startOfUtcDay(now).getTime();
  let campaigns: string[];

  beforeAll(async () => {
    for (const f of readdirSync(MIGRATIONS_DIR).filter((f) => /^0(0\d|1[01])_/.test(f))) copyFileSync(join(MIGRATIONS_DIR, f), join(at011, f));
    if (driver === 'pglite') {
      const c = await PgliteClient.open(undefined, TEST_PGLITE_OPTIONS);
      client = c;
      drop = () => c.close();
    } else {
      const db = await createPostgresDatabase({ empty: true });
      const c = new PostgresClient({ connectionString: db.url, max: 4 });
      client = c;
      drop = async () => {
        await c.close();
        await db.drop();
      };
    }
    await migrate(client, at011);
    // Raw SQL of the 011 schema, so the data does not depend on what later code writes.
    const q = (sql: string, params: unknown[] = []) => client.query<Record<string, unknown>>(sql, params);
    const network = (await q(`INSERT INTO networks (name, slug, adapter) VALUES ('N', 'n', 'generic') RETURNING id`)).rows[0].id;
    const offer = (await q(`INSERT INTO offers (name, network_id, url, payout) VALUES ('O', $1, 'https://o.example', 2) RETURNING id`, [network])).rows[0].id;
    const source = (await q(`INSERT INTO traffic_sources (name, postback_url) VALUES ('S', 'https://s.example') RETURNING id`)).rows[0].id;
    campaigns = [];
    for (const name of ['A', 'B'])
      campaigns.push(
        (await q(`INSERT INTO campaigns (name, traffic_source_id, offer_id) VALUES ($1, $2, $3) RETURNING id`, [name, source, offer])).rows[0].id as string,
      );
    // Clicks over the last 60 days (ids carry their time, as the tracker makes them), with their rollups as the click writer kept them.
    const times = Array.from({ length: CLICK_ROWS }, (_, i) => now.getTime() - 60 * DAY + Math.floor((i * 60 * DAY) / CLICK_ROWS));
    await q(
      `INSERT INTO clicks (id, campaign_id, sub1, created_at, country, visitor_key, cost)
       SELECT id, ($2::uuid[])[1 + (n % 2)::int], 'z' || (n % 10), t, 'US', 'v' || n, 0.01 FROM unnest($1::text[], $3::timestamptz[]) WITH ORDINALITY AS c(id, t, n)`,
      [times.map((t) => newClickId(t)), campaigns, times.map((t) => new Date(t))],
    );
    await q(`INSERT INTO click_rollups (campaign_id, bucket, country, device_type, os, browser, clicks, unique_clicks, cost, clicks_without_cost)
             SELECT campaign_id, to_timestamp(floor(extract(epoch FROM created_at) / 900) * 900), country, device_type, os, browser,
                    count(*), count(*) FILTER (WHERE is_unique), sum(cost), count(*) FILTER (WHERE cost_missing)
             FROM clicks GROUP BY 1, 2, 3, 4, 5, 6`);
    await q(`INSERT INTO click_totals (grain, bucket, campaign_id, clicks, unique_clicks, cost, clicks_without_cost)
             SELECT g.grain, to_timestamp(floor(extract(epoch FROM created_at) / g.grain) * g.grain), campaign_id,
                    count(*), count(*) FILTER (WHERE is_unique), sum(cost), count(*) FILTER (WHERE cost_missing)
             FROM clicks CROSS JOIN (VALUES (900), (3600), (86400)) AS g(grain) GROUP BY 1, 2, 3`);
    // The postback log: rows that booked nothing (they expire), and a conversion's history (kept): the accepted
    // row, and a postback that arrived before its click and was tied to the conversion later (unattributed, yet kept).
    await q(`INSERT INTO postbacks (received_at, channel, click_id, params, outcome)
             SELECT created_at + interval '1 hour', 's2s', id, '{}', 'unattributed' FROM clicks WHERE substr(id, 30) < 'c'`);
    await q(
      `WITH converted AS (
         INSERT INTO conversions (click_id, campaign_id, network_id, txid, status, currency, source, created_at, click_at)
         SELECT id, campaign_id, $1, 'tx-' || id, 'approved', 'USD', 's2s', created_at + interval '1 hour', created_at FROM clicks WHERE substr(id, 30) >= 'e'
         RETURNING id, click_id, created_at)
       INSERT INTO postbacks (received_at, channel, network_id, click_id, params, outcome, conversion_id, attributed_at)
       SELECT created_at, 's2s', $1, click_id, '{}'::jsonb, 'accepted', id, NULL::timestamptz FROM converted
       UNION ALL
       SELECT created_at - interval '1 minute', 's2s', $1, click_id, '{}', 'unattributed', id, created_at FROM converted`,
      [network],
    );
  }, 120_000);

  afterAll(async () => {
    await drop?.();
    rmSync(at011, { recursive: true, force: true });
  });

  /** Everything the conversion must keep: every row (by content), and reports by campaign, by day and by sub1. */
  async function snapshot() {
    const digest = async (table: string, order: string) =>
      (await client.query<{ n: number; d: string }>(`SELECT count(*)::int AS n, md5(string_agg(t::text, '|' ORDER BY ${order})) AS d FROM ${table} t`)).rows[0];
    const stats = new StatsRepository(client);
    const query = (groupBy: StatsQuery['groupBy']): StatsQuery => ({
      from: new Date(today - 70 * DAY),
      to: new Date(today + 2 * DAY),
      tz: 'UTC',
      groupBy,
      filters: {},
      attributeBy: 'click',
      currency: 'USD',
    });
    return {
      clicks: await digest('clicks', 'id'),
      postbacks: await digest('postbacks', 'id'),
      byCampaign: await stats.groups(query(['campaign'])),
      byDay: await stats.groups(query(['day'])),
      bySub1: await stats.groups(query(['sub1'])),
    };
  }

  it('upgrades at boot without converting a large table, which keeps taking clicks', async () => {
    await migrate(client);
    const prepared = await preparePartitions(client, { maxRowsToConvert: 100 });
    expect(prepared.unpartitioned).toEqual(['clicks', 'postbacks']);
    expect(await new TimePartitions(client, CLICKS).isPartitioned()).toBe(false);
    expect(await isPartitionedLog(client)).toBe(false);
    const id = newClickId();
    await new ClickRepository(client).insertMany([{ id, campaignId: campaigns[0], subs: { sub1: 'z1' }, createdAt: new Date() }]);
    expect(await new ClickRepository(client).get(id)).toMatchObject({ id });
    // The plain log keeps taking postbacks, each with its side already set for the conversion to come.
    expect((await new PostbackRecorder(client).record({ channel: 's2s', clickId: 'unknown-before', params: {}, receivedAt: new Date() })).outcome).toBe(
      'unattributed',
    );
    const { rows } = await client.query<{ expires: boolean }>(`SELECT expires FROM postbacks WHERE click_id = 'unknown-before'`);
    expect(rows).toEqual([{ expires: true }]);
  });

  it('converts with every row kept, every click found by id, and the same reports', async () => {
    const indexNames = async () =>
      (
        await client.query<{ name: string }>(
          `SELECT c.relname AS name FROM pg_index x JOIN pg_class c ON c.oid = x.indexrelid WHERE x.indrelid = 'clicks'::regclass ORDER BY 1`,
        )
      ).rows.map((i) => i.name);
    const indexesBefore = await indexNames();
    expect(indexesBefore).toEqual(expect.arrayContaining(['clicks_campaign_created_covering', 'clicks_created', 'clicks_pkey', 'clicks_visitor']));
    const before = await snapshot();
    expect(before.clicks.n).toBe(CLICK_ROWS + 1);
    const result = await convertToPartitioned(client, CLICKS, { online: driver === 'postgres', now });
    expect(result).toMatchObject({ legacy: true, rows: CLICK_ROWS + 1, cutover: new Date(today + 2 * DAY) });
    expect(await snapshot()).toEqual(before);

    const partitions = await new TimePartitions(client, CLICKS).list();
    expect(partitions[0]).toMatchObject({ name: legacyPartitionName('clicks'), from: null, to: new Date(today + 2 * DAY) });
    expect(partitions.map((p) => p.name)).toContain(dayPartitionName('clicks', new Date(today + 2 * DAY)));
    expect(partitions.map((p) => p.name)).toContain('clicks_default');
    const clicks = new ClickRepository(client);
    const { rows } = await client.query<{ id: string }>(`SELECT id FROM clicks ORDER BY id`);
    let found = 0;
    for (const { id } of rows.filter((_, i) => i % 50 === 0)) if ((await clicks.get(id))?.id === id) found++;
    expect(found).toBe(Math.ceil(rows.length / 50));
    // The indexes kept their names on the parent, where later migrations will look for them.
    expect(await indexNames()).toEqual(indexesBefore);
    expect(await convertToPartitioned(client, CLICKS, { online: false })).toMatchObject({ already: true });
  });

  it('converts the postback log beside a stream of writes, copying nothing, with every row kept and the same indexes but the one retention no longer needs', async () => {
    const logIndexes = async () =>
      (
        await client.query<{ name: string }>(
          `SELECT c.relname AS name FROM pg_index x JOIN pg_class c ON c.oid = x.indexrelid WHERE x.indrelid = 'postbacks'::regclass ORDER BY 1`,
        )
      ).rows.map((i) => i.name);
    const indexesBefore = await logIndexes();
    expect(indexesBefore).toEqual(expect.arrayContaining(['postbacks_expiring', 'postbacks_pkey', 'postbacks_received', 'postbacks_reason_received']));
    const sides = async () =>
      (await client.query<{ expires: boolean; n: number }>(`SELECT expires, count(*)::int AS n FROM postbacks GROUP BY 1 ORDER BY 1`)).rows;
    const before = await snapshot();
    const sidesBefore = await sides();
    expect(sidesBefore.map((r) => r.expires)).toEqual([false, true]);

    // On PostgreSQL the conversion runs beside Postwire: log rows keep arriving, one after another, all the while.
    // Plain INSERTs, not the recorder, which would retry a failed batch row by row and hide a failure.
    let converting = driver === 'postgres';
    let written = 0;
    const beside = (async () => {
      while (converting) {
        await client.query(
          `INSERT INTO postbacks (channel, click_id, params, outcome, reason_code, expires) VALUES ('s2s', 'unknown-during', '{}', 'unattributed', 'unknown_click', true)`,
        );
        written++;
      }
    })();
    const result = await convertPostbackLog(client, { online: driver === 'postgres', now }).finally(() => (converting = false));
    await beside;
    expect(result).toMatchObject({ already: false, legacy: true, cutover: new Date(today + 2 * DAY) });
    expect(result.rows).toBeGreaterThanOrEqual(before.postbacks.n);
    expect(await isPartitionedLog(client)).toBe(true);
    // Nothing was copied: every old row, and every one written beside the conversion, is in the old table, now the legacy partition.
    const where = await client.query<{ p: string; n: number }>(`SELECT tableoid::regclass::text AS p, count(*)::int AS n FROM postbacks GROUP BY 1`);
    expect(where.rows).toEqual([{ p: POSTBACK_LOG_LEGACY, n: before.postbacks.n + written }]);
    await client.query(`DELETE FROM postbacks WHERE click_id = 'unknown-during'`);
    expect(await snapshot()).toEqual(before);
    expect(await sides()).toEqual(sidesBefore);
    expect(await logIndexes()).toEqual(indexesBefore.filter((name) => name !== 'postbacks_expiring'));

    // From the cutover on, rows go to their side: a conversion's history to the kept side, the rest to the expiring side's day.
    const after = today + 2 * DAY + 3_600_000;
    await new PostbackRecorder(client).record({ channel: 's2s', clickId: 'unknown-after', params: {}, receivedAt: new Date(after) });
    const { rows } = await client.query<{ p: string }>(`SELECT tableoid::regclass::text AS p FROM postbacks WHERE click_id = 'unknown-after'`);
    expect(rows).toEqual([{ p: dayPartitionName(POSTBACK_LOG_EXPIRING.table, new Date(today + 2 * DAY)) }]);
    await client.query(`DELETE FROM postbacks WHERE click_id = 'unknown-after'`);
    expect(await convertPostbackLog(client, { online: false })).toMatchObject({ already: true });
  });

  it('after the conversion new clicks go to daily partitions, and retention drops the legacy partition once it is wholly past', async () => {
    const clicks = new ClickRepository(client);
    const later = today + 3 * DAY + 1000;
    const id = newClickId(later);
    await clicks.insertMany([{ id, campaignId: campaigns[1], subs: {}, createdAt: new Date(later) }]);
    const { rows } = await client.query<{ p: string }>(`SELECT tableoid::regclass::text AS p FROM clicks WHERE id = $1`, [id]);
    expect(rows[0].p).toBe(dayPartitionName('clicks', new Date(today + 3 * DAY)));

    const retention = new ClickRetention(client);
    // A line inside the legacy partition: its older rows are deleted, the partition stays.
    const within = await retention.apply(new Date(today - 30 * DAY));
    expect(within.dropped).toEqual([]);
    expect(within.deleted).toBeGreaterThan(CLICK_ROWS / 2 - 60);
    expect(within.deleted).toBeLessThan(CLICK_ROWS / 2 + 60);
    // A line past the cutover: the legacy partition goes whole.
    const past = await retention.apply(new Date(today + 2 * DAY));
    expect(past.dropped).toContain(legacyPartitionName('clicks'));
    expect(await clicks.count()).toBe(1);
  });

  it('after the conversion retention removes only the log’s expired rows, and every conversion’s row survives', async () => {
    const count = async (where: string) => (await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM postbacks WHERE ${where}`)).rows[0].n;
    const kept = await count('NOT expires');
    const expiredBefore = await count(`expires AND received_at < '${new Date(today - 30 * DAY).toISOString()}'`);
    expect(expiredBefore).toBeGreaterThan(0);
    const pruned = await new PostbackLogRetention(client).prune(new Date(today - 30 * DAY));
    // The old rows that book nothing sit in the legacy partition, with the kept ones: deleted there, row by row.
    expect(pruned.deleted).toBe(expiredBefore);
    expect(await count(`expires AND received_at < '${new Date(today - 30 * DAY).toISOString()}'`)).toBe(0);
    expect(await count('expires')).toBeGreaterThan(0);
    expect(await count('NOT expires')).toBe(kept);
  });
});
