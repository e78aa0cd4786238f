import { SUM_SQL, WEEK_GRAIN, type RowSums } from '@postwire/core';
import type { SqlClient, SqlExecutor } from '../client/sql-client';
import { FRAUD_CLICK_COLUMNS } from './fraud-rollup-sql';

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
export const weekStartSql = (expr: string) => `to_timestamp(floor((extract(epoch FROM ${expr}) - 345600) / ${WEEK_GRAIN}) * ${WEEK_GRAIN} + 345600)`;

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
 * The days and weeks that ended before `before` whose sub_value_rollups are missing or older than
 * click_totals (a click stored into them since), newest first. Read from click_totals' daily rows
 * (one per campaign and day), never from the clicks.
 */
function pendingSql(limit: string): string {
  return `WITH totals AS (
      SELECT g.grain, CASE g.grain WHEN 86400 THEN t.bucket ELSE ${weekStartSql('t.bucket')} END AS bucket, sum(t.clicks) AS clicks
      FROM click_totals t CROSS JOIN (VALUES ${SUB_VALUE_GRAINS.map((g) => `(${g})`).join(', ')}) AS g(grain)
      WHERE t.grain = 86400 GROUP BY 1, 2)
    SELECT x.grain, x.bucket, b.bucket IS NOT NULL AS stale FROM totals x LEFT JOIN sub_value_buckets b ON b.grain = x.grain AND b.bucket = x.bucket
    WHERE x.bucket + x.grain * interval '1 second' <= $1 AND (b.bucket IS NULL OR b.totals_clicks <> x.clicks)
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

  /** How many buckets are written and how many wait, for /health. */
  async progress(before: Date): Promise<SubValueProgress> {
    const { rows } = await this.db.query<{ pending: number; stale: number; written: number }>(
      `SELECT count(*)::int AS pending, count(*) FILTER (WHERE stale)::int AS stale, (SELECT count(*)::int FROM sub_value_buckets) AS written
       FROM (${pendingSql('')}) p`,
      [before],
    );
    return { pending: rows[0].pending, done: rows[0].written - rows[0].stale };
  }

  /**
   * (Re)writes one day or week: its rows summed over campaigns from sub_click_rollups, and its mark.
   * False when another process is writing buckets at this moment (it will do this one too).
   */
  async compact({ grain, bucket }: SubValueBucket): Promise<boolean> {
    const sums = SUB_ROLLUP_SUMS;
    return this.db.transaction(async (tx: SqlExecutor) => {
      const { rows } = await tx.query<{ locked: boolean }>('SELECT pg_try_advisory_xact_lock($1) AS locked', [COMPACT_LOCK_KEY]);
      if (!rows[0].locked) return false;
      const params = [grain, bucket];
      // One index descent per sub id: the key starts with sub.
      const subs = `sub = ANY('{1,2,3,4,5,6,7,8,9,10}'::smallint[])`;
      await tx.query(`DELETE FROM sub_value_rollups WHERE ${subs} AND grain = $1::int AND bucket = $2::timestamptz`, params);
      // Rows and mark in one statement, so one snapshot: the mark's `clicks` (sub 1 counts every click
      // once) and `totals_clicks` (click_totals, which the click batch writes in the same statement as
      // sub_click_rollups) agree unless the day itself disagrees (clicks older than 013's rollups).
      await tx.query(
        `WITH written AS (
           INSERT INTO sub_value_rollups (sub, grain, bucket, value, ${sums.join(', ')})
           SELECT sub, $1::int, $2::timestamptz, value, ${sums.map((c) => `sum(${c})`).join(', ')}
           FROM sub_click_rollups WHERE ${subs} AND day >= $2::timestamptz AND day < $2::timestamptz + $1::int * interval '1 second'
           GROUP BY sub, value
           RETURNING sub, clicks)
         INSERT INTO sub_value_buckets (grain, bucket, clicks, totals_clicks)
         SELECT $1::int, $2::timestamptz, (SELECT coalesce(sum(clicks), 0) FROM written WHERE sub = 1),
                (SELECT coalesce(sum(clicks), 0) FROM click_totals WHERE grain = 86400 AND bucket >= $2::timestamptz AND bucket < $2::timestamptz + $1::int * interval '1 second')
         ON CONFLICT (grain, bucket) DO UPDATE SET clicks = EXCLUDED.clicks, totals_clicks = EXCLUDED.totals_clicks, compacted_at = now()`,
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
  async compactPending(before: Date, options: { max?: number; stop?: () => boolean; analyze?: boolean } = {}): Promise<number> {
    let written = 0;
    const max = options.max ?? Infinity;
    while (written < max && !options.stop?.()) {
      const [next] = await this.pending(before, 1);
      if (!next || !(await this.compact(next))) break;
      written += 1;
    }
    if (written > 0 && options.analyze !== false) await this.analyze();
    return written;
  }

  /** Statistics for the planner: a freshly filled table without them gets estimates a thousand times too low (bench/NOTES.md). */
  async analyze(): Promise<void> {
    await this.db.query('ANALYZE sub_value_rollups');
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
    // Weeks start up to 6 days before `from`; the bounds on grain and bucket let the keys serve.
    const touching = `grain = ANY('{86400,${WEEK_GRAIN}}'::int[]) AND bucket > $1::timestamptz - interval '7 days' AND bucket < $2 AND bucket + grain * interval '1 second' > $1`;
    await db.query(`DELETE FROM sub_value_buckets WHERE ${touching}`, [from, to]);
    await db.query(`DELETE FROM sub_value_rollups WHERE sub = ANY('{1,2,3,4,5,6,7,8,9,10}'::smallint[]) AND ${touching}`, [from, to]);
  }
}
