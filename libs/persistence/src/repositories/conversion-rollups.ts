import { SUB_PARAMS } from '@postwire/core';
import type { SqlExecutor } from '../client/sql-client';
import { bucketSql } from './click.repository';

const COUNTED = `status IN ('approved', 'pending')`;

const upsert = (source: string) => `
INSERT INTO conversion_rollups AS r (campaign_id, click_bucket, conversion_bucket, country, device_type, os, browser, goal, currency,
                                    approved, pending, declined, refunded, payout, approved_payout, sale_amount, cost, cost_native)
SELECT campaign_id, ${bucketSql('click_at')}, ${bucketSql('created_at')}, country, device_type, os, browser, goal, trim(currency),
       $2 * (status = 'approved')::int, $2 * (status = 'pending')::int, $2 * (status = 'declined')::int, $2 * (status = 'refunded')::int,
       $2 * CASE WHEN ${COUNTED} THEN coalesce(payout, 0) ELSE 0 END,
       $2 * CASE WHEN status = 'approved' THEN coalesce(payout, 0) ELSE 0 END,
       $2 * CASE WHEN ${COUNTED} THEN coalesce(revenue, 0) ELSE 0 END,
       $2 * cost, $2 * cost_native
FROM ${source}
ON CONFLICT (campaign_id, click_bucket, conversion_bucket, country, device_type, os, browser, goal, currency) DO UPDATE
SET approved = r.approved + EXCLUDED.approved, pending = r.pending + EXCLUDED.pending, declined = r.declined + EXCLUDED.declined,
    refunded = r.refunded + EXCLUDED.refunded, payout = r.payout + EXCLUDED.payout, approved_payout = r.approved_payout + EXCLUDED.approved_payout,
    sale_amount = r.sale_amount + EXCLUDED.sale_amount, cost = r.cost + EXCLUDED.cost, cost_native = r.cost_native + EXCLUDED.cost_native`;

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
) ${upsert('cv')}`;

/** A new conversion keeps what reports need of its click, which retention may delete later. */
const COPY_CLICK = `
UPDATE conversions cv
SET click_at = k.created_at, country = k.country, device_type = k.device_type, os = k.os, browser = k.browser,
    ${SUB_PARAMS.map((s) => `${s} = k.${s}`).join(', ')}
FROM clicks k WHERE cv.id = $1 AND k.id = cv.click_id`;

/**
 * Keeps conversion_rollups equal to the conversions table. Called inside the recorder's
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
