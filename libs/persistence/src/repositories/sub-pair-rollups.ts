import type { SqlClient, SqlExecutor } from '../client/sql-client';
import { fraudClickCounts } from './fraud-rollup-sql';
import {
  BUCKETS_TOUCHING,
  compactEachPending,
  SUB_ROLLUP_SUMS,
  SUB_VALUE_GRAINS,
  weekStartSql,
  type CompactOptions,
  type SubValueBucket,
  type SubValueProgress,
} from './sub-value-rollups';

/**
 * How many pairs of (sub1, sub2) a day or week of sub_pair_rollups keeps exact: its top pairs by
 * clicks; the rest is summed into the bucket's remainder row. Measured at 10 M clicks (bench/NOTES.md,
 * "Sub-id pair rollups"): a week has ~460,000 distinct pairs; with 5,000 kept, the pair at rank 1,000
 * over 90 days (the last row of a default page sorted by clicks) has ~4× the weekly cut-off, so a
 * first page by clicks is exact over whole weeks, and a 90-day report reads ≤ 18 × 5,001 rows.
 */
export const SUB_PAIR_HEAD = 5000;

/** Held (per transaction) by whoever compacts a pair bucket, so two trackers never write the same one. */
const COMPACT_LOCK_KEY = 0x73756270; // "subp"

/** The click figures of a pair row: the same columns as the sub-id rollups (SUB_ROLLUP_SUMS), from the registry. */
const SUMS = SUB_ROLLUP_SUMS;

/** The days and weeks ended before $1 whose pair rollups are missing or older than click_totals, newest first. */
function pendingSql(limit: string): string {
  return `WITH totals AS (
      SELECT g.grain, CASE g.grain WHEN 86400 THEN t.bucket ELSE ${weekStartSql('t.bucket')} END AS bucket, sum(t.clicks) AS clicks
      FROM click_totals t CROSS JOIN (VALUES ${SUB_VALUE_GRAINS.map((g) => `(${g})`).join(', ')}) AS g(grain)
      WHERE t.grain = 86400 GROUP BY 1, 2)
    SELECT x.grain, x.bucket, b.bucket IS NOT NULL AS stale FROM totals x LEFT JOIN sub_pair_buckets b ON b.grain = x.grain AND b.bucket = x.bucket
    WHERE x.bucket + x.grain * interval '1 second' <= $1 AND (b.bucket IS NULL OR b.totals_clicks <> x.clicks)
    ORDER BY x.bucket DESC, x.grain ${limit}`;
}

/**
 * Writes sub_pair_rollups (migration 034) from raw clicks: per UTC day or ISO week, summed over
 * campaigns, the {@link SUB_PAIR_HEAD} top pairs of (sub1, sub2) by clicks with their exact figures
 * and one remainder row with the exact sum of the rest. Run in the background like
 * {@link SubValueRollups} (one bucket per transaction, newest first, a stale bucket written again);
 * reports read a bucket only while it is current (its click count equals click_totals').
 */
export class SubPairRollups {
  constructor(
    private readonly db: SqlClient,
    /** Pairs kept per bucket; tests pass a small number to make cuts happen. */
    private readonly head = SUB_PAIR_HEAD,
  ) {}

  /** The buckets ended before `before` still to write, newest first, at most `limit`. */
  async pending(before: Date, limit: number): Promise<SubValueBucket[]> {
    const { rows } = await this.db.query<{ grain: number; bucket: Date }>(pendingSql('LIMIT $2'), [before, limit]);
    return rows.map((r) => ({ grain: r.grain as SubValueBucket['grain'], bucket: r.bucket }));
  }

  /** How many buckets are written and how many wait, for /health. */
  async progress(before: Date): Promise<SubValueProgress> {
    const { rows } = await this.db.query<{ pending: number; stale: number; written: number }>(
      `SELECT count(*)::int AS pending, count(*) FILTER (WHERE stale)::int AS stale, (SELECT count(*)::int FROM sub_pair_buckets) AS written
       FROM (${pendingSql('')}) p`,
      [before],
    );
    return { pending: rows[0].pending, done: rows[0].written - rows[0].stale };
  }

  /**
   * (Re)writes one day or week: its pairs from the raw clicks (a paused campaign's left out, as in
   * every rollup), the head kept, the rest summed into the remainder row, and its mark, in one
   * statement (one snapshot). False when another process is writing pair buckets at this moment.
   */
  async compact({ grain, bucket }: SubValueBucket): Promise<boolean> {
    return this.db.transaction(async (tx: SqlExecutor) => {
      const { rows } = await tx.query<{ locked: boolean }>('SELECT pg_try_advisory_xact_lock($1) AS locked', [COMPACT_LOCK_KEY]);
      if (!rows[0].locked) return false;
      const params = [grain, bucket, this.head];
      const range = `$2::timestamptz AND c.created_at < $2::timestamptz + $1::int * interval '1 second'`;
      await tx.query(`DELETE FROM sub_pair_rollups WHERE grain = $1::int AND bucket = $2::timestamptz`, params.slice(0, 2));
      await tx.query(
        `WITH pairs AS (
           SELECT coalesce(c.sub1, '') AS sub1, coalesce(c.sub2, '') AS sub2, count(*) AS clicks, count(*) FILTER (WHERE c.is_unique) AS unique_clicks,
                  coalesce(sum(c.cost), 0) AS cost, count(*) FILTER (WHERE c.cost_missing) AS clicks_without_cost, ${fraudClickCounts('c')}
           FROM clicks c WHERE c.created_at >= ${range} AND NOT c.paused
           GROUP BY 1, 2),
         ranked AS (SELECT p.*, row_number() OVER (ORDER BY p.clicks DESC, p.sub1 COLLATE "C", p.sub2 COLLATE "C") <= $3::int AS head FROM pairs p),
         kept AS (
           SELECT true AS head, sub1, sub2, ${SUMS.join(', ')} FROM ranked WHERE head
           UNION ALL
           SELECT false, '', '', ${SUMS.map((c) => `sum(${c})`).join(', ')} FROM ranked WHERE NOT head HAVING count(*) > 0),
         written AS (
           INSERT INTO sub_pair_rollups (grain, bucket, head, sub1, sub2, ${SUMS.join(', ')})
           SELECT $1::int, $2::timestamptz, head, sub1, sub2, ${SUMS.join(', ')} FROM kept
           RETURNING clicks)
         INSERT INTO sub_pair_buckets (grain, bucket, clicks, totals_clicks, head_pairs, cut_pairs)
         SELECT $1::int, $2::timestamptz, (SELECT coalesce(sum(clicks), 0) FROM written),
                (SELECT coalesce(sum(clicks), 0) FROM click_totals WHERE grain = 86400 AND bucket >= $2::timestamptz AND bucket < $2::timestamptz + $1::int * interval '1 second'),
                (SELECT count(*) FROM ranked WHERE head), (SELECT count(*) FROM ranked WHERE NOT head)
         ON CONFLICT (grain, bucket) DO UPDATE SET clicks = EXCLUDED.clicks, totals_clicks = EXCLUDED.totals_clicks,
           head_pairs = EXCLUDED.head_pairs, cut_pairs = EXCLUDED.cut_pairs, compacted_at = now()`,
        params,
      );
      return true;
    });
  }

  /** Writes every pending bucket ended before `before` (see {@link compactEachPending}). */
  async compactPending(before: Date, options: CompactOptions = {}): Promise<number> {
    return compactEachPending(this, before, options);
  }

  async analyze(): Promise<void> {
    await this.db.query('ANALYZE sub_pair_rollups');
  }

  /**
   * Makes the pair buckets touching `[from, to)` stale (a re-score changes figures but not click
   * counts). Waits for a compaction under way, so none writes a bucket from figures read before this.
   */
  static async stale(db: SqlExecutor, from: Date, to: Date): Promise<void> {
    await db.query('SELECT pg_advisory_xact_lock($1)', [COMPACT_LOCK_KEY]);
    await SubPairRollups.forget(db, from, to);
  }

  /** Forgets the pair buckets touching `[from, to)` (a rebuild of the rollups of those days). */
  static async forget(db: SqlExecutor, from: Date, to: Date): Promise<void> {
    const touching = BUCKETS_TOUCHING;
    await db.query(`DELETE FROM sub_pair_buckets WHERE ${touching}`, [from, to]);
    await db.query(`DELETE FROM sub_pair_rollups WHERE ${touching}`, [from, to]);
  }
}
