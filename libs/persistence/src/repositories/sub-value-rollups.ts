import { SUM_SQL, WEEK_GRAIN, type RowSums } from '@postwire/core';
import type { SqlClient, SqlExecutor } from '../client/sql-client';
import { ASSESSED, FRAUD_CLICK_COLUMNS } from './fraud-rollup-sql';
import { CONVERSION_SUM_COLUMNS, CONVERSION_SUMS, subValueSql } from './rollup-sql';

/**
 * The click figures the sub-id rollups sum (013's sub_click_rollups and 027's sub_value_rollups),
 * named by the report-column registry: a summed column added there for clicks is added here and to
 * both tables' migrations.
 */
export const SUB_ROLLUP_SUMS: readonly string[] = [
  ...(['clicks', 'uniqueClicks', 'cost', 'clicksWithoutCost'] as const satisfies readonly (keyof RowSums)[]).map((k) => SUM_SQL[k].sql),
  // The click side's fraud counts (026 and 031), in the order the raw-click parts of a report write them.
  ...FRAUD_CLICK_COLUMNS,
];

/** The grains of sub_value_rollups: a UTC day and an ISO week, in seconds. */
export const SUB_VALUE_GRAINS = [86_400, WEEK_GRAIN] as const;
export type SubValueGrain = (typeof SUB_VALUE_GRAINS)[number];

/** SQL for the Monday 00:00 UTC of the ISO week of a timestamptz expression (1970-01-05 was a Monday). */
/** How many buckets a compaction pass may write, when to stop, and whether to ANALYZE after. */
export interface CompactOptions {
  max?: number;
  stop?: () => boolean;
  analyze?: boolean;
}

/**
 * A day or week bucket (either grain) touching `[$1, $2)`: weeks start up to 6 days before `$1`; the
 * bounds on grain and bucket let the keys serve. Shared by the value (027) and pair (034) grains.
 */
export const BUCKETS_TOUCHING = `grain = ANY('{86400,${WEEK_GRAIN}}'::int[]) AND bucket > $1::timestamptz - interval '7 days' AND bucket < $2 AND bucket + grain * interval '1 second' > $1`;

/**
 * Writes every pending bucket of a grain ended before `before`, at most `max` (all when omitted), then
 * (unless `analyze: false`, for a caller that goes on) ANALYZEs it when it wrote any. Returns how many it wrote.
 */
export async function compactEachPending(
  grain: { pending(before: Date, limit: number): Promise<SubValueBucket[]>; compact(bucket: SubValueBucket): Promise<boolean>; analyze(): Promise<void> },
  before: Date,
  options: CompactOptions = {},
): Promise<number> {
  let written = 0;
  const max = options.max ?? Infinity;
  while (written < max && !options.stop?.()) {
    const [next] = await grain.pending(before, 1);
    if (!next || !(await grain.compact(next))) break;
    written += 1;
  }
  if (written > 0 && options.analyze !== false) await grain.analyze();
  return written;
}

export const weekStartSql = (expr: string) => `to_timestamp(floor((extract(epoch FROM ${expr}) - 345600) / ${WEEK_GRAIN}) * ${WEEK_GRAIN} + 345600)`;

/** SQL for the end of a bucket of `grain` seconds starting at `bucket`. */
const endSql = (bucket: string, grain: string) => `${bucket} + ${grain} * interval '1 second'`;

/**
 * SQL for the conversion side's version of the bucket (`grain`, `bucket`): the sum of conversion_totals'
 * write counts (migration 033) over the click days of the bucket, which grows with every write that
 * moves a conversion of its clicks.
 */
export const conversionChangesSql = (grain: string, bucket: string) =>
  `(SELECT coalesce(sum(ct.changes), 0) FROM conversion_totals ct WHERE ct.basis = 'click' AND ct.grain = 86400 AND ct.bucket >= ${bucket} AND ct.bucket < ${endSql(bucket, grain)})`;

/** The end of the bucket being compacted ($1 its grain, $2 its start). */
const END = endSql('$2::timestamptz', '$1::int');
/** Every sub id: one index descent each, since the key starts with sub. */
const SUBS = `sub = ANY('{1,2,3,4,5,6,7,8,9,10}'::smallint[])`;

/**
 * CTEs over the bucket being compacted: `cv`, its conversions (by their click's time; test conversions
 * are in no report), and `conv`, their figures per sub id and value. Conversions are found per campaign
 * through (campaign_id, click_at), the index the report's raw path uses too.
 */
const CONVERSIONS_CTES = `cv AS MATERIALIZED (
    ${ASSESSED} WHERE c.campaign_id = ANY(ARRAY(SELECT id FROM campaigns)) AND c.click_at >= $2::timestamptz AND c.click_at < ${END} AND NOT c.is_test),
  conv AS (
    SELECT s.sub::smallint AS sub, ${subValueSql('cv', 's.sub')} AS value, ${CONVERSION_SUMS}
    FROM cv CROSS JOIN generate_series(1, 10) AS s(sub) GROUP BY 1, 2)`;
/** The conversion side of a bucket's mark, and its SQL in a statement with {@link CONVERSIONS_CTES}. */
const MARK_CONVERSIONS = ['conversion_changes', 'conversion_currencies'];
const MARK_CONVERSIONS_SQL = [conversionChangesSql('$1::int', '$2::timestamptz'), `(SELECT coalesce(array_agg(DISTINCT trim(currency)), '{}') FROM cv)`];

/** Held (per transaction) by whoever compacts a bucket, so two trackers never write the same one. */
const COMPACT_LOCK_KEY = 0x73756276; // "subv"

/** One day or week of sub_value_rollups to (re)write. */
export interface SubValueBucket {
  grain: SubValueGrain;
  bucket: Date;
}

/** How far the compaction of sub_value_rollups is. */
export interface SubValueProgress {
  /** Days and weeks written and still current. */
  done: number;
  /** Days and weeks (of those ended before the cut-off) still to write: never compacted, or stale. */
  pending: number;
}

/**
 * The days and weeks that ended before `before` whose sub_value_rollups are missing or stale: older than
 * click_totals (a click stored into them since), or than conversion_totals' write counts (a conversion
 * of their clicks written since), newest first. Read from the totals' daily rows (one per campaign and
 * day, and goal and currency for conversions), never from the clicks or conversions.
 */
function pendingSql(limit: string): string {
  const grains = `(VALUES ${SUB_VALUE_GRAINS.map((g) => `(${g})`).join(', ')}) AS g(grain)`;
  const bucketOf = (day: string) => `CASE g.grain WHEN 86400 THEN ${day} ELSE ${weekStartSql(day)} END`;
  return `WITH totals AS (
      SELECT g.grain, ${bucketOf('t.bucket')} AS bucket, sum(t.clicks) AS clicks
      FROM click_totals t CROSS JOIN ${grains} WHERE t.grain = 86400 GROUP BY 1, 2),
    changes AS (
      SELECT g.grain, ${bucketOf('t.bucket')} AS bucket, sum(t.changes) AS changes
      FROM conversion_totals t CROSS JOIN ${grains} WHERE t.basis = 'click' AND t.grain = 86400 GROUP BY 1, 2)
    SELECT x.grain, x.bucket, b.bucket IS NOT NULL AS stale FROM totals x
    LEFT JOIN sub_value_buckets b ON b.grain = x.grain AND b.bucket = x.bucket
    LEFT JOIN changes ch ON ch.grain = x.grain AND ch.bucket = x.bucket
    WHERE ${endSql('x.bucket', 'x.grain')} <= $1
      AND (b.bucket IS NULL OR b.totals_clicks <> x.clicks OR b.conversion_changes IS DISTINCT FROM coalesce(ch.changes, 0))
    ORDER BY x.bucket DESC, x.grain ${limit}`;
}

/**
 * Writes sub_value_rollups (migration 027) from sub_click_rollups: the background job that fills the
 * table while the tracker serves (no backfill at boot), and keeps it filled as days and weeks end.
 * Each bucket is one transaction, so an interrupted run resumes where it stopped; a bucket that a
 * later click made stale is written again. Reports never read a bucket that is not current (see
 * the migration), so their answers are exact at every point of the run.
 */
export class SubValueRollups {
  constructor(private readonly db: SqlClient) {}

  /** The buckets ended before `before` still to write, newest first, at most `limit`. */
  async pending(before: Date, limit: number): Promise<SubValueBucket[]> {
    const { rows } = await this.db.query<{ grain: number; bucket: Date }>(pendingSql('LIMIT $2'), [before, limit]);
    return rows.map((r) => ({ grain: r.grain as SubValueGrain, bucket: r.bucket }));
  }

  /**
   * How many buckets are written and how many wait, for /health: counted over {@link pending}'s own query, so
   * the count is what the compaction will write (buckets never written, and those a later click or conversion made stale).
   */
  async progress(before: Date): Promise<SubValueProgress> {
    const { rows } = await this.db.query<{ pending: number; stale: number; written: number }>(
      `SELECT count(*)::int AS pending, count(*) FILTER (WHERE stale)::int AS stale, (SELECT count(*)::int FROM sub_value_buckets) AS written
       FROM (${pendingSql('')}) p`,
      [before],
    );
    return { pending: rows[0].pending, done: rows[0].written - rows[0].stale };
  }

  /**
   * (Re)writes one day or week: its click rows summed over campaigns from sub_click_rollups, its
   * conversion rows (sub_value_conversions, migration 033) from the conversions of its clicks, and its
   * mark. When only its conversions changed since it was written (the usual case: conversions come in
   * for days after their clicks), only the conversion rows are written again, from the bucket's few
   * conversions. False when another process is writing buckets at
   * this moment (it will do this one too).
   */
  async compact({ grain, bucket }: SubValueBucket): Promise<boolean> {
    return this.db.transaction(async (tx: SqlExecutor) => {
      const { rows } = await tx.query<{ locked: boolean }>('SELECT pg_try_advisory_xact_lock($1) AS locked', [COMPACT_LOCK_KEY]);
      if (!rows[0].locked) return false;
      const params = [grain, bucket];
      const { rows: marks } = await tx.query<{ clicksCurrent: boolean }>(
        `SELECT b.totals_clicks = (SELECT coalesce(sum(clicks), 0) FROM click_totals WHERE grain = 86400 AND bucket >= $2::timestamptz AND bucket < ${END}) AS "clicksCurrent"
         FROM sub_value_buckets b WHERE b.grain = $1::int AND b.bucket = $2::timestamptz`,
        params,
      );
      const conversionsOnly = marks[0]?.clicksCurrent === true;
      const conv = CONVERSION_SUM_COLUMNS.join(', ');
      // A CTE writing the bucket's conversion rows (sub_value_conversions: values with conversions only).
      const writeConversions = `INSERT INTO sub_value_conversions (sub, grain, bucket, value, ${conv}) SELECT sub, $1::int, $2::timestamptz, value, ${conv} FROM conv RETURNING 1`;
      await tx.query(`DELETE FROM sub_value_conversions WHERE ${SUBS} AND grain = $1::int AND bucket = $2::timestamptz`, params);
      if (conversionsOnly) {
        // Rows and mark in one statement, so one snapshot: the write counts match the conversions read.
        await tx.query(
          `WITH ${CONVERSIONS_CTES}, written AS (${writeConversions})
           UPDATE sub_value_buckets SET ${MARK_CONVERSIONS.map((c, i) => `${c} = ${MARK_CONVERSIONS_SQL[i]}`).join(', ')}, compacted_at = now()
           WHERE grain = $1::int AND bucket = $2::timestamptz`,
          params,
        );
        return true;
      }
      const sums = SUB_ROLLUP_SUMS;
      await tx.query(`DELETE FROM sub_value_rollups WHERE ${SUBS} AND grain = $1::int AND bucket = $2::timestamptz`, params);
      // Rows and mark in one statement, so one snapshot: the mark's `clicks` (sub 1 counts every click
      // once) and `totals_clicks` (click_totals, which the click batch writes in the same statement as
      // sub_click_rollups) agree unless the day itself disagrees (clicks older than 013's rollups); its
      // conversion write counts match the conversions read.
      await tx.query(
        `WITH written AS (
           INSERT INTO sub_value_rollups (sub, grain, bucket, value, ${sums.join(', ')})
           SELECT sub, $1::int, $2::timestamptz, value, ${sums.map((c) => `sum(${c})`).join(', ')}
           FROM sub_click_rollups WHERE ${SUBS} AND day >= $2::timestamptz AND day < ${END}
           GROUP BY sub, value
           RETURNING sub, clicks),
         ${CONVERSIONS_CTES},
         conversions_written AS (${writeConversions})
         INSERT INTO sub_value_buckets (grain, bucket, clicks, totals_clicks, ${MARK_CONVERSIONS.join(', ')})
         SELECT $1::int, $2::timestamptz, (SELECT coalesce(sum(clicks), 0) FROM written WHERE sub = 1),
                (SELECT coalesce(sum(clicks), 0) FROM click_totals WHERE grain = 86400 AND bucket >= $2::timestamptz AND bucket < ${END}),
                ${MARK_CONVERSIONS_SQL.join(', ')}
         ON CONFLICT (grain, bucket) DO UPDATE SET clicks = EXCLUDED.clicks, totals_clicks = EXCLUDED.totals_clicks,
           ${MARK_CONVERSIONS.map((c) => `${c} = EXCLUDED.${c}`).join(', ')}, compacted_at = now()`,
        params,
      );
      return true;
    });
  }

  /**
   * Writes every pending bucket ended before `before`, at most `max` (all when omitted), then
   * (unless `analyze: false`, for a caller that goes on) {@link analyze}s the table when it wrote any.
   * Returns how many it wrote.
   */
  async compactPending(before: Date, options: CompactOptions = {}): Promise<number> {
    return compactEachPending(this, before, options);
  }

  /** Statistics for the planner: a freshly filled table without them gets estimates a thousand times too low (bench/NOTES.md). */
  async analyze(): Promise<void> {
    await this.db.query('ANALYZE sub_value_rollups, sub_value_conversions');
  }

  /**
   * Makes the buckets touching `[from, to)` stale: what a change of figures that keeps the days' click
   * counts (a re-score) needs, since the count is how a bucket is otherwise known to be stale. Waits for a
   * compaction under way, so none writes a bucket from figures read before this transaction's.
   */
  static async stale(db: SqlExecutor, from: Date, to: Date): Promise<void> {
    await db.query('SELECT pg_advisory_xact_lock($1)', [COMPACT_LOCK_KEY]);
    await SubValueRollups.forget(db, from, to);
  }

  /** Forgets the buckets touching `[from, to)`: what a rebuild of sub_click_rollups for those days does. */
  static async forget(db: SqlExecutor, from: Date, to: Date): Promise<void> {
    const touching = BUCKETS_TOUCHING;
    await db.query(`DELETE FROM sub_value_buckets WHERE ${touching}`, [from, to]);
    await db.query(`DELETE FROM sub_value_rollups WHERE ${SUBS} AND ${touching}`, [from, to]);
    await db.query(`DELETE FROM sub_value_conversions WHERE ${SUBS} AND ${touching}`, [from, to]);
  }
}
