import { REPORT_GRAINS, SUB_PARAMS } from '@postwire/core';
import type { SqlExecutor } from '../client/sql-client';
import { bucketSql, grainBucketSql } from './click.repository';

const COUNTED = `status IN ('approved', 'pending')`;

const FIGURES = `$2 * (status = 'approved')::int, $2 * (status = 'pending')::int, $2 * (status = 'declined')::int, $2 * (status = 'refunded')::int,
       $2 * CASE WHEN ${COUNTED} THEN coalesce(payout, 0) ELSE 0 END,
       $2 * CASE WHEN status = 'approved' THEN coalesce(payout, 0) ELSE 0 END,
       $2 * CASE WHEN ${COUNTED} THEN coalesce(revenue, 0) ELSE 0 END,
       $2 * cost, $2 * cost_native`;

const ADD_UP = `approved = r.approved + EXCLUDED.approved, pending = r.pending + EXCLUDED.pending, declined = r.declined + EXCLUDED.declined,
    refunded = r.refunded + EXCLUDED.refunded, payout = r.payout + EXCLUDED.payout, approved_payout = r.approved_payout + EXCLUDED.approved_payout,
    sale_amount = r.sale_amount + EXCLUDED.sale_amount, cost = r.cost + EXCLUDED.cost, cost_native = r.cost_native + EXCLUDED.cost_native`;

/** The conversion's figures (times $2: +1 or -1) into the 15-minute detail and into the totals of every basis and grain. */
const upsert = (source: string) => `
, detailed AS (
  INSERT INTO conversion_rollups AS r (campaign_id, click_bucket, conversion_bucket, country, device_type, os, browser, goal, currency,
                                      approved, pending, declined, refunded, payout, approved_payout, sale_amount, cost, cost_native)
  SELECT campaign_id, ${bucketSql('click_at')}, ${bucketSql('created_at')}, country, device_type, os, browser, goal, trim(currency), ${FIGURES}
  FROM ${source}
  ON CONFLICT (campaign_id, click_bucket, conversion_bucket, country, device_type, os, browser, goal, currency) DO UPDATE SET ${ADD_UP}
  RETURNING 1
)
INSERT INTO conversion_totals AS r (basis, grain, bucket, campaign_id, conversion_day, goal, currency,
                                    approved, pending, declined, refunded, payout, approved_payout, sale_amount, cost, cost_native)
SELECT b.basis, g.grain, ${grainBucketSql("CASE b.basis WHEN 'click' THEN click_at ELSE created_at END", 'g.grain')}, campaign_id,
       (created_at AT TIME ZONE 'UTC')::date, goal, trim(currency), ${FIGURES}
FROM ${source} CROSS JOIN (VALUES ('click'), ('conversion')) AS b(basis) CROSS JOIN (VALUES ${REPORT_GRAINS.map((g) => `(${g})`).join(', ')}) AS g(grain)
ORDER BY 1, 2, 3
ON CONFLICT (basis, grain, bucket, campaign_id, conversion_day, goal, currency) DO UPDATE SET ${ADD_UP}`;

/** Takes a conversion's current figures out of the rollups (before it changes). */
const RETRACT = `WITH cv AS (SELECT * FROM conversions WHERE id = $1) ${upsert('cv')}`;

/** Prices the conversion by its campaign's cost model, then adds its figures to the rollups. */
const ADD = `
WITH cv AS (
  UPDATE conversions cv
  SET cost = CASE WHEN cv.${COUNTED} AND cp.cost_model = 'cpa' THEN coalesce(cp.cost_value, 0) ELSE 0 END,
      cost_native = CASE WHEN cv.${COUNTED} AND cp.cost_model = 'revshare' THEN round(coalesce(cv.payout, 0) * coalesce(cp.cost_value, 0) / 100, 6) ELSE 0 END
  FROM campaigns cp
  WHERE cv.id = $1 AND cp.id = cv.campaign_id
  RETURNING cv.*
)${upsert('cv')}`;

/** A new conversion keeps what reports need of its click, which retention may delete later. */
const COPY_CLICK = `
UPDATE conversions cv
SET click_at = k.created_at, country = k.country, device_type = k.device_type, os = k.os, browser = k.browser,
    ${SUB_PARAMS.map((s) => `${s} = k.${s}`).join(', ')}
FROM clicks k WHERE cv.id = $1 AND k.id = cv.click_id`;

/**
 * Keeps conversion_rollups and conversion_totals equal to the conversions table. Called inside the recorder's
 * transaction: {@link retract} before a conversion changes, {@link add} after it is written.
 */
export const ConversionRollups = {
  async created(tx: SqlExecutor, conversionId: string): Promise<void> {
    await tx.query(COPY_CLICK, [conversionId]);
    await tx.query(ADD, [conversionId, 1]);
  },
  async retract(tx: SqlExecutor, conversionId: string): Promise<void> {
    await tx.query(RETRACT, [conversionId, -1]);
  },
  async add(tx: SqlExecutor, conversionId: string): Promise<void> {
    await tx.query(ADD, [conversionId, 1]);
  },
};
