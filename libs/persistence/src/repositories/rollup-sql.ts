import { FRAUD_CONVERSION_COLUMNS, fraudClickCounts, fraudConversionCounts } from './fraud-rollup-sql';

/* SQL pieces shared by the click writer, the rollup rebuild and the report reads. */

/** SQL for the 15-minute UTC bucket of a timestamptz expression. */
export const bucketSql = (expr: string) => `to_timestamp(floor(extract(epoch FROM ${expr}) / 900) * 900)`;

/** SQL for the bucket of `grainExpr` seconds (900, 3600 or 86400: the totals' grains) holding a timestamptz. */
export const grainBucketSql = (expr: string, grainExpr: string) => `to_timestamp(floor(extract(epoch FROM ${expr}) / ${grainExpr}) * ${grainExpr})`;

/** SQL for the value of sub id `subExpr` (1-10) of a click or conversion `alias`; '' when not set, as reports show it. */
export const subValueSql = (alias: string, subExpr: string) =>
  `coalesce(CASE ${subExpr} ${Array.from({ length: 9 }, (_, i) => `WHEN ${i + 1} THEN ${alias}.sub${i + 1}`).join(' ')} ELSE ${alias}.sub10 END, '')`;

/** The sub-id day rollup rows of the clicks in `source` (a relation with the clicks' columns), summed per target row. */
export const subRollupSelect = (source: string) => `
  SELECT s.sub, ${grainBucketSql('c.created_at', '86400')} AS day, c.campaign_id, ${subValueSql('c', 's.sub')} AS value,
         count(*) AS clicks, count(*) FILTER (WHERE c.is_unique) AS unique_clicks, sum(c.cost) AS cost, count(*) FILTER (WHERE c.cost_missing) AS clicks_without_cost,
         ${fraudClickCounts('c')}
  FROM ${source} c CROSS JOIN generate_series(1, 10) AS s(sub)
  GROUP BY 1, 2, 3, 4`;

/** The figures a conversion rollup sums, by column (conversion_rollups' and conversion_totals' names), over conversions aliased `cv`. */
const CONVERSION_SUM_SQL: readonly (readonly [string, string])[] = [
  ['approved', "count(*) FILTER (WHERE status = 'approved')"],
  ['pending', "count(*) FILTER (WHERE status = 'pending')"],
  ['declined', "count(*) FILTER (WHERE status = 'declined')"],
  ['refunded', "count(*) FILTER (WHERE status = 'refunded')"],
  ['payout', "coalesce(sum(payout) FILTER (WHERE status IN ('approved', 'pending')), 0)"],
  ['approved_payout', "coalesce(sum(payout) FILTER (WHERE status = 'approved'), 0)"],
  ['declined_payout', "coalesce(sum(payout) FILTER (WHERE status = 'declined'), 0)"],
  ['refunded_payout', "coalesce(sum(payout) FILTER (WHERE status = 'refunded'), 0)"],
  ['sale_amount', "coalesce(sum(revenue) FILTER (WHERE status IN ('approved', 'pending')), 0)"],
  ['cost', 'sum(cost)'],
  ['cost_native', 'sum(cost_native)'],
];

/**
 * `… AS approved, …`: the figures a conversion rollup sums over conversions aliased `cv` (ASSESSED: with
 * their fraud assessment), in the order of {@link CONVERSION_SUM_COLUMNS}: the rebuild of
 * conversion_rollups and conversion_totals, and the sub-id value rollups' conversion side.
 */
export const CONVERSION_SUMS = `${CONVERSION_SUM_SQL.map(([c, sql]) => `${sql} AS ${c}`).join(', ')}, ${fraudConversionCounts('cv')}`;

/** The columns {@link CONVERSION_SUMS} fills, in its order. */
export const CONVERSION_SUM_COLUMNS: readonly string[] = [...CONVERSION_SUM_SQL.map(([c]) => c), ...FRAUD_CONVERSION_COLUMNS];
