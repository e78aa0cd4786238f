import { BUCKET_MS, coverRuns, mergeWholeWeeks, periodRuns, SUM_SQL, WEEK_GRAIN, type ValueCoverBucket } from '@postwire/core';
import type { SqlExecutor } from '../client/sql-client';
import { FRAUD_CLICK_COLUMNS, FRAUD_CONVERSION_COLUMNS, fraudClickFigures } from './fraud-rollup-sql';
import { bucketSql } from './rollup-sql';

/** What a report needs to know to be answered from sub_pair_rollups (a subset of StatsQuery). */
export interface PairReportQuery {
  from: Date;
  to: Date;
  tz: string;
  groupBy: readonly string[];
  filters: Partial<Record<string, string[]>>;
  allowedCampaignIds?: readonly string[];
  exact?: boolean;
}

/**
 * True for the reports sub_pair_rollups can answer: grouped by exactly sub1 and sub2 (either order),
 * over all campaigns (no campaign scope, no filter of any kind), and not asked to be exact. Any other
 * report keeps the exact path.
 */
export function isPairReport(q: PairReportQuery): boolean {
  const dims = [...q.groupBy].sort();
  return !q.exact && dims.length === 2 && dims[0] === 'sub1' && dims[1] === 'sub2' && !q.allowedCampaignIds && !Object.values(q.filters).some((v) => v?.length);
}

/** The range as whole ISO weeks, whole UTC days and the quarter hours and hours at its edges (the zone's days do not matter: no time grouping). */
export function pairCover(q: Pick<PairReportQuery, 'from' | 'to' | 'tz'>): ValueCoverBucket[] {
  const alignUp = (ms: number) => Math.ceil(ms / BUCKET_MS) * BUCKET_MS;
  return mergeWholeWeeks(coverRuns(periodRuns(alignUp(q.from.getTime()), alignUp(q.to.getTime()), q.tz, undefined)));
}

/**
 * The cover's whole weeks and days, which of them sub_pair_rollups answers (`compacted`: written and
 * current — its click count equals click_totals' in this snapshot), and whether that bucket cut pairs.
 * A week not current is read as its seven days. `$cover` names the parameters holding the cover.
 */
function planCtes(grains: string, buckets: string): string {
  return `cover AS (SELECT * FROM unnest(${grains}::int[], ${buckets}::timestamptz[]) AS t(grain, bucket)),
    whole AS (SELECT grain, bucket FROM cover WHERE grain >= 86400),
    week_days AS (SELECT 86400 AS grain, w.bucket + n * interval '86400 seconds' AS bucket, w.bucket AS week
                  FROM whole w CROSS JOIN generate_series(0, 6) AS n WHERE w.grain = ${WEEK_GRAIN}),
    ready AS (
      SELECT x.grain, x.bucket, b.cut_pairs > 0 AS cut, b.head_pairs FROM (SELECT grain, bucket FROM whole UNION ALL SELECT grain, bucket FROM week_days) x
      JOIN sub_pair_buckets b ON b.grain = x.grain AND b.bucket = x.bucket
      WHERE b.clicks = (SELECT coalesce(sum(ct.clicks), 0) FROM click_totals ct WHERE ct.grain = 86400 AND ct.bucket >= x.bucket AND ct.bucket < x.bucket + x.grain * interval '1 second')),
    plan AS (
      SELECT r.grain, r.bucket, true AS compacted, r.cut, r.head_pairs FROM whole w JOIN ready r ON r.grain = w.grain AND r.bucket = w.bucket
      UNION ALL
      SELECT d.grain, d.bucket, r.bucket IS NOT NULL, coalesce(r.cut, false), r.head_pairs FROM week_days d LEFT JOIN ready r ON r.grain = 86400 AND r.bucket = d.bucket
      WHERE NOT EXISTS (SELECT 1 FROM ready w WHERE w.grain = ${WEEK_GRAIN} AND w.bucket = d.week)
      UNION ALL
      SELECT w.grain, w.bucket, false, false, NULL::int FROM whole w WHERE w.grain = 86400 AND NOT EXISTS (SELECT 1 FROM ready r WHERE r.grain = 86400 AND r.bucket = w.bucket))`;
}

/**
 * How many buckets of the cover sub_pair_rollups answers now (none: the report takes the exact path),
 * and the fewest pairs one of them that cut pairs kept (null: none cut any).
 */
export async function readyPairBuckets(db: SqlExecutor, cover: readonly ValueCoverBucket[]): Promise<{ compacted: number; headPairs: number | null }> {
  const { rows } = await db.query<{ compacted: number; head: number | null }>(
    `WITH ${planCtes('$1', '$2')} SELECT count(*)::int AS compacted, min(head_pairs) FILTER (WHERE cut)::int AS head FROM plan WHERE compacted`,
    [cover.map((c) => c.grain), cover.map((c) => c.bucket)],
  );
  return { compacted: rows[0].compacted, headPairs: rows[0].head };
}

/**
 * The grouped SQL of a `groupBy=sub1,sub2` report over all campaigns answered from sub_pair_rollups
 * (migration 034): columns `k_sub1`/`k_sub2` (in the groupBy's order), the summed figures of SUM_SQL,
 * `bounded` (the pair was cut in some bucket of the range: its figures are a lower bound) and
 * `is_other` (the "(other)" row, keys NULL: everything not listed as its own pair, exactly).
 *
 * The rows are the head pairs of the compacted buckets of the range. Their click figures are the sum
 * of the buckets where they were kept, plus whatever raw clicks the report reads (the edges of the
 * range finer than a day, days not compacted) and the manual cost corrections inside compacted days;
 * raw clicks of a pair that is no head anywhere, and every bucket's remainder row, go to "(other)".
 * Conversions come from `conversions` (the report's exact conversion part, `conversionsPart`, with
 * keys `k_sub1`/`k_sub2`): exact for every listed pair, the rest in "(other)". So the total over all
 * rows equals the exact total.
 */
export function pairReportSql(groupBy: readonly string[], cover: readonly ValueCoverBucket[], p: (v: unknown) => string, conversionsPart: string): string {
  const ctes = planCtes(p(cover.map((c) => c.grain)), p(cover.map((c) => c.bucket)));
  const corrected = `(cc.per_click + CASE WHEN cc.first_click_id = k.id THEN cc.remainder ELSE 0 END)`;
  const fraudZeros = FRAUD_CLICK_COLUMNS.map((c) => `0 AS ${c}`).join(', ');
  const key = (d: string) => (d === 'sub1' ? 's1' : 's2');
  // The same columns, in the same order, as the report's conversion part (keys, then every figure).
  const clickFigures = `sum(clicks) AS clicks, sum(unique_clicks) AS unique_clicks, sum(clicks_without_cost) AS clicks_without_cost, sum(cost) AS cost,
    0 AS approved, 0 AS pending, 0 AS declined, 0 AS refunded, 0 AS payout, 0 AS approved_payout, 0 AS declined_payout, 0 AS refunded_payout, 0 AS sale_amount, 0 AS unconverted,
    ${FRAUD_CLICK_COLUMNS.map((c) => `sum(${c}) AS ${c}`).join(', ')}, ${FRAUD_CONVERSION_COLUMNS.map((c) => `0 AS ${c}`).join(', ')}`;
  const clicksPart = `SELECT ${groupBy.map((d) => `${key(d)} AS "k_${d}"`).join(', ')}, ${clickFigures} FROM click_rows GROUP BY 1, 2`;
  const keys = groupBy.map((d) => `CASE WHEN h.sub1 IS NULL THEN NULL ELSE x."k_${d}" END AS "k_${d}"`);
  const summed = Object.values(SUM_SQL).map((c) => `sum(x.${c.sql}) AS ${c.sql}`);
  return `WITH ${ctes},
    compacted_days AS (
      SELECT bucket FROM plan WHERE compacted AND grain = 86400
      UNION ALL SELECT bucket + n * interval '86400 seconds' FROM plan CROSS JOIN generate_series(0, 6) AS n WHERE compacted AND grain = ${WEEK_GRAIN}),
    grain_rows AS MATERIALIZED (
      SELECT t.*, c.cut FROM plan c
      CROSS JOIN LATERAL (SELECT * FROM sub_pair_rollups t WHERE c.compacted AND t.grain = c.grain AND t.bucket = c.bucket OFFSET 0) t),
    heads AS MATERIALIZED (SELECT sub1, sub2, count(*) FILTER (WHERE cut) AS in_cut FROM grain_rows WHERE head GROUP BY 1, 2),
    cuts AS (SELECT count(*) AS n FROM plan WHERE compacted AND cut),
    raw_spans AS (
      SELECT bucket AS start_at, bucket + grain * interval '1 second' AS end_at FROM cover WHERE grain < 86400
      UNION ALL SELECT bucket, bucket + interval '1 day' FROM plan WHERE NOT compacted),
    click_rows AS (
      SELECT CASE WHEN head THEN sub1 END AS s1, CASE WHEN head THEN sub2 END AS s2, clicks, unique_clicks, cost, clicks_without_cost, ${FRAUD_CLICK_COLUMNS.join(', ')}
      FROM grain_rows
      UNION ALL
      SELECT coalesce(k.sub1, ''), coalesce(k.sub2, ''), 1, k.is_unique::int, CASE WHEN ob.bucket IS NULL THEN k.cost ELSE ${corrected} END, k.cost_missing::int,
             ${fraudClickFigures('k')}
      FROM raw_spans c JOIN clicks k ON k.created_at >= c.start_at AND k.created_at < c.end_at AND NOT k.paused
      LEFT JOIN cost_override_buckets ob ON ob.campaign_id = k.campaign_id AND ob.bucket = ${bucketSql('k.created_at')}
      LEFT JOIN cost_corrections cc ON cc.id = ob.correction_id
      UNION ALL
      -- A manual cost correction inside a compacted day: its clicks' model cost out, the correction's in.
      SELECT coalesce(k.sub1, ''), coalesce(k.sub2, ''), 0, 0, ${corrected} - k.cost, 0, ${fraudZeros}
      FROM compacted_days c JOIN cost_override_buckets ob ON ob.bucket >= c.bucket AND ob.bucket < c.bucket + interval '1 day'
      JOIN cost_corrections cc ON cc.id = ob.correction_id
      JOIN clicks k ON k.campaign_id = ob.campaign_id AND k.created_at >= ob.bucket AND k.created_at < ob.bucket + interval '15 minutes' AND NOT k.paused),
    parts AS (${clicksPart} UNION ALL ${conversionsPart})
    SELECT ${[...keys, ...summed].join(', ')},
           coalesce(bool_or(h.in_cut < (SELECT n FROM cuts)), false) AS bounded, bool_and(h.sub1 IS NULL) AS is_other
    FROM parts x LEFT JOIN heads h ON h.sub1 = x.k_sub1 AND h.sub2 = x.k_sub2
    GROUP BY 1, 2`;
}
