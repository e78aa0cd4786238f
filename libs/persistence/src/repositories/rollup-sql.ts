import { fraudClickCounts } from './fraud-rollup-sql';

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
