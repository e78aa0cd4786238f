import { REPORT_GRAINS } from '@postwire/core';
import type { SqlExecutor } from '../client/sql-client';
import { bucketSql, grainBucketSql } from './click.repository';
import { addUpSql, ASSESSED, FRAUD_CONVERSION_COLUMNS, fraudConversionFigures, fraudReasonConversionsUpsert } from './fraud-rollup-sql';

const COUNTED = `status IN ('approved', 'pending')`;

/** One conversion's figures, times $2 (+1 or -1). */
const FIGURES = `$2 * (status = 'approved')::int AS approved, $2 * (status = 'pending')::int AS pending,
       $2 * (status = 'declined')::int AS declined, $2 * (status = 'refunded')::int AS refunded,
       $2 * CASE WHEN ${COUNTED} THEN coalesce(payout, 0) ELSE 0 END AS payout,
       $2 * CASE WHEN status = 'approved' THEN coalesce(payout, 0) ELSE 0 END AS approved_payout,
       $2 * CASE WHEN status = 'declined' THEN coalesce(payout, 0) ELSE 0 END AS declined_payout,
       $2 * CASE WHEN status = 'refunded' THEN coalesce(payout, 0) ELSE 0 END AS refunded_payout,
       $2 * CASE WHEN ${COUNTED} THEN coalesce(revenue, 0) ELSE 0 END AS sale_amount,
       $2 * cost AS cost, $2 * cost_native AS cost_native, ${fraudConversionFigures('cv', '$2')}`;

const SUMS = `sum(approved), sum(pending), sum(declined), sum(refunded), sum(payout), sum(approved_payout), sum(declined_payout), sum(refunded_payout),
  sum(sale_amount), sum(cost), sum(cost_native), ${FRAUD_CONVERSION_COLUMNS.map((c) => `sum(${c})`).join(', ')}`;

const ADD_UP = `approved = r.approved + EXCLUDED.approved, pending = r.pending + EXCLUDED.pending, declined = r.declined + EXCLUDED.declined,
    refunded = r.refunded + EXCLUDED.refunded, payout = r.payout + EXCLUDED.payout, approved_payout = r.approved_payout + EXCLUDED.approved_payout,
    declined_payout = r.declined_payout + EXCLUDED.declined_payout, refunded_payout = r.refunded_payout + EXCLUDED.refunded_payout,
    sale_amount = r.sale_amount + EXCLUDED.sale_amount, cost = r.cost + EXCLUDED.cost, cost_native = r.cost_native + EXCLUDED.cost_native,
    ${addUpSql(FRAUD_CONVERSION_COLUMNS)}`;

/**
 * The figures of the conversions in `$1` (times $2) into the 15-minute detail and into the totals of
 * every basis and grain. Summed per target row first: an upsert may touch a row once per statement, and
 * a batch of one campaign's conversions then moves its (hot) totals row once, not once per conversion.
 * Rows are written in key order, so two transactions moving the same rows take their locks in one order.
 */
const upsert = (sign: string) => `
WITH cv AS (${ASSESSED} WHERE c.id = ANY($1::uuid[])),
by_reason AS (${fraudReasonConversionsUpsert('cv', sign, bucketSql)}),
detailed AS (
  INSERT INTO conversion_rollups AS r (campaign_id, click_bucket, conversion_bucket, country, device_type, os, browser, goal, currency,
                                      approved, pending, declined, refunded, payout, approved_payout, declined_payout, refunded_payout, sale_amount, cost, cost_native,
                                      ${FRAUD_CONVERSION_COLUMNS.join(', ')})
  SELECT campaign_id, click_bucket, conversion_bucket, country, device_type, os, browser, goal, currency, ${SUMS}
  FROM (SELECT campaign_id, ${bucketSql('click_at')} AS click_bucket, ${bucketSql('created_at')} AS conversion_bucket, country, device_type, os, browser,
               goal, trim(currency) AS currency, ${FIGURES.replaceAll('$2', sign)} FROM cv) f
  GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9
  ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9
  ON CONFLICT (campaign_id, click_bucket, conversion_bucket, country, device_type, os, browser, goal, currency) DO UPDATE SET ${ADD_UP}
  RETURNING 1
)
INSERT INTO conversion_totals AS r (basis, grain, bucket, campaign_id, conversion_day, goal, currency,
                                    approved, pending, declined, refunded, payout, approved_payout, declined_payout, refunded_payout, sale_amount, cost, cost_native,
                                    ${FRAUD_CONVERSION_COLUMNS.join(', ')})
SELECT basis, grain, bucket, campaign_id, conversion_day, goal, currency, ${SUMS}
FROM (SELECT b.basis, g.grain, ${grainBucketSql("CASE b.basis WHEN 'click' THEN click_at ELSE created_at END", 'g.grain')} AS bucket, campaign_id,
             (created_at AT TIME ZONE 'UTC')::date AS conversion_day, goal, trim(currency) AS currency, ${FIGURES.replaceAll('$2', sign)}
      FROM cv CROSS JOIN (VALUES ('click'), ('conversion')) AS b(basis) CROSS JOIN (VALUES ${REPORT_GRAINS.map((g) => `(${g})`).join(', ')}) AS g(grain)) f
GROUP BY 1, 2, 3, 4, 5, 6, 7
ORDER BY 1, 2, 3, 4, 5, 6, 7
ON CONFLICT (basis, grain, bucket, campaign_id, conversion_day, goal, currency) DO UPDATE SET ${ADD_UP}`;

const RETRACT = upsert('-1');
const ADD = upsert('1');

/**
 * SQL for a conversion's cost by its campaign's cost model (`cp`), from its status and payout
 * expressions: cpa costs the campaign's value in the report currency, revshare a share of the payout
 * in the conversion's currency; only approved and pending conversions cost anything.
 */
export function conversionCostSql(status: string, payout: string): { cost: string; costNative: string } {
  const counted = `${status} IN ('approved', 'pending')`;
  return {
    cost: `CASE WHEN ${counted} AND cp.cost_model = 'cpa' THEN coalesce(cp.cost_value, 0) ELSE 0 END`,
    costNative: `CASE WHEN ${counted} AND cp.cost_model = 'revshare' THEN round(coalesce(${payout}, 0) * coalesce(cp.cost_value, 0) / 100, 6) ELSE 0 END`,
  };
}

/**
 * Keeps conversion_rollups and conversion_totals equal to the conversions table. Called inside the recorder's
 * transaction: {@link retract} before conversions change, {@link add} after they are written (priced, see
 * {@link conversionCostSql}).
 */
export const ConversionRollups = {
  async retract(tx: SqlExecutor, conversionIds: readonly string[]): Promise<void> {
    if (conversionIds.length) await tx.query(RETRACT, [conversionIds]);
  },
  async add(tx: SqlExecutor, conversionIds: readonly string[]): Promise<void> {
    if (conversionIds.length) await tx.query(ADD, [conversionIds]);
  },
};
