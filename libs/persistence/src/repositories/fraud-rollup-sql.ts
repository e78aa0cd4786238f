import { FRAUD_CLICK_SUMS, FRAUD_CONVERSION_SUMS, SUM_SQL } from '@postwire/core';

/**
 * SQL pieces for the fraud sums of the rollups, read from the report-column registry
 * (FRAUD_CLICK_SUMS, FRAUD_CONVERSION_SUMS and their SUM_SQL names), so every rollup that sums clicks
 * or conversions writes them the same way: the click batch, the conversion writes, the rebuild.
 */
const clickSums = Object.entries(FRAUD_CLICK_SUMS).map(([k, when]) => ({ column: SUM_SQL[k as keyof typeof FRAUD_CLICK_SUMS].sql, when }));
const conversionSums = Object.entries(FRAUD_CONVERSION_SUMS).map(([k, when]) => ({
  column: SUM_SQL[k as keyof typeof FRAUD_CONVERSION_SUMS].sql,
  when,
}));

/**
 * Conversions (alias `c`) with their assessment's `hold_state` and `fraud_signals` (null when not
 * scored), as every conversion rollup write reads them; add a WHERE on `c`.
 */
export const ASSESSED = `SELECT c.*, f.hold_state, f.signals AS fraud_signals FROM conversions c LEFT JOIN conversion_fraud f ON f.conversion_id = c.id`;

/** The click-side fraud columns (`suspicious_clicks, bot_clicks`). */
export const FRAUD_CLICK_COLUMNS = clickSums.map((s) => s.column);
/** The conversion-side fraud columns (`held, fraud_rejected`). */
export const FRAUD_CONVERSION_COLUMNS = conversionSums.map((s) => s.column);

/** `count(*) FILTER (WHERE …) AS suspicious_clicks, …` over clicks aliased `c`. */
export const fraudClickCounts = (c: string) => clickSums.map((s) => `count(*) FILTER (WHERE ${s.when(c)}) AS ${s.column}`).join(', ');
/** One click's fraud figures (0 or 1 each) over a click aliased `c`, as `… AS suspicious_clicks, …`. */
export const fraudClickFigures = (c: string) => clickSums.map((s) => `(${s.when(c)})::int AS ${s.column}`).join(', ');
/** Each click fraud figure summed times `sign` over clicks aliased `c` (`sum(sign * (…)::int)`), without a name: for a delta and its HAVING. */
export const fraudClickShifts = (c: string, sign: string) => clickSums.map((s) => `sum(${sign} * (${s.when(c)})::int)`);
/** `count(*) FILTER (WHERE …) AS held, …` over conversions whose assessment is aliased `f`. */
export const fraudConversionCounts = (f: string) => conversionSums.map((s) => `count(*) FILTER (WHERE ${s.when(f)}) AS ${s.column}`).join(', ');
/** One conversion's fraud figures times `sign`, over its assessment aliased `f`. */
export const fraudConversionFigures = (f: string, sign = '1') => conversionSums.map((s) => `${sign} * (${s.when(f)})::int AS ${s.column}`).join(', ');
/** `x = r.x + EXCLUDED.x, …` for an upsert of these columns into a rollup aliased `r`. */
export const addUpSql = (columns: readonly string[]) => columns.map((c) => `${c} = r.${c} + EXCLUDED.${c}`).join(', ');
/** `sum(x) AS x, …` */
export const sumSql = (columns: readonly string[], alias = '') => columns.map((c) => `sum(${alias}${c}) AS ${c}`).join(', ');

/**
 * A CTE body (for `WITH … AS (…)`) adding the clicks of `source` (a relation with the clicks' columns)
 * to the per-reason rollup: a click with several fired reasons counts under each.
 */
export const fraudReasonClicksUpsert = (source: string, bucket: (expr: string) => string) => `
  INSERT INTO fraud_reason_click_rollups AS r (campaign_id, bucket, reason, clicks, ${FRAUD_CLICK_COLUMNS.join(', ')})
  SELECT c.campaign_id, ${bucket('c.created_at')}, x.reason, count(*), ${fraudClickCounts('c')}
  FROM ${source} c CROSS JOIN LATERAL unnest(c.fraud_reasons) AS x(reason)
  GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
  ON CONFLICT (campaign_id, bucket, reason) DO UPDATE SET clicks = r.clicks + EXCLUDED.clicks, ${addUpSql(FRAUD_CLICK_COLUMNS)}
  RETURNING 1`;

/** The conversion statuses the per-reason rollup counts. */
const STATUSES = ['approved', 'pending', 'declined', 'refunded'] as const;

/**
 * A CTE body adding the conversions of `source` (the conversions' columns, plus `hold_state` and
 * `fraud_signals` from conversion_fraud), times `sign`, to the per-reason rollup: a conversion counts
 * under each reason that fired.
 */
export const fraudReasonConversionsUpsert = (source: string, sign: string, bucket: (expr: string) => string) => {
  const columns = [...STATUSES, ...FRAUD_CONVERSION_COLUMNS];
  return `
  INSERT INTO fraud_reason_conversion_rollups AS r (campaign_id, click_bucket, conversion_bucket, reason, ${columns.join(', ')})
  SELECT campaign_id, click_bucket, conversion_bucket, reason, ${columns.map((c) => `sum(${c})`).join(', ')}
  FROM (SELECT cv.campaign_id, ${bucket('cv.click_at')} AS click_bucket, ${bucket('cv.created_at')} AS conversion_bucket, s.signal->>'code' AS reason,
               ${STATUSES.map((st) => `${sign} * (cv.status = '${st}')::int AS ${st}`).join(', ')}, ${fraudConversionFigures('cv', sign)}
        FROM ${source} cv CROSS JOIN LATERAL jsonb_array_elements(cv.fraud_signals) AS s(signal)
        WHERE (s.signal->>'fired')::boolean) x
  GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
  ON CONFLICT (campaign_id, click_bucket, conversion_bucket, reason) DO UPDATE SET ${addUpSql(columns)}
  RETURNING 1`;
};
