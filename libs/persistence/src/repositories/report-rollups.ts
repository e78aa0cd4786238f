import type { SqlClient } from '../client/sql-client';
import {
  ASSESSED,
  FRAUD_CLICK_COLUMNS,
  FRAUD_CONVERSION_COLUMNS,
  fraudClickCounts,
  fraudReasonClicksUpsert,
  fraudReasonConversionsUpsert,
} from './fraud-rollup-sql';
import { bucketSql, CONVERSION_SUMS, grainBucketSql, subRollupSelect } from './rollup-sql';
import { SubPairRollups } from './sub-pair-rollups';
import { SubValueRollups } from './sub-value-rollups';

const DAY_MS = 86_400_000;

/**
 * Rebuilds every report rollup (click_rollups, click_totals, sub_click_rollups, conversion_rollups,
 * conversion_totals) for the UTC days that `[from, to)` touches, from the clicks and conversions
 * stored: what migrations backfill with, and how a generator that wrote clicks bare (bench) makes
 * them reportable. Whole UTC days, since the coarsest rollups are per day: the range is widened to
 * midnight UTC on both ends. One transaction; the rollups of other days are left alone.
 *
 * Conversions are rebuilt by both their times: the rows bucketed by click time for conversions whose
 * click is in the days, the totals bucketed by their own time for conversions made in the days.
 */
export async function rebuildReportRollups(db: SqlClient, range: { from: Date; to: Date }): Promise<void> {
  const from = new Date(Math.floor(range.from.getTime() / DAY_MS) * DAY_MS);
  const to = new Date(Math.ceil(range.to.getTime() / DAY_MS) * DAY_MS);
  if (from >= to) return;
  const params = [from, to];
  // A paused campaign's clicks and test conversions are never in the rollups (the write paths skip them too).
  const clicksIn = `(SELECT * FROM clicks WHERE created_at >= $1 AND created_at < $2 AND NOT paused)`;
  await db.transaction(async (tx) => {
    await tx.query(`DELETE FROM click_rollups WHERE bucket >= $1 AND bucket < $2`, params);
    await tx.query(
      `INSERT INTO click_rollups (campaign_id, bucket, country, device_type, os, browser, clicks, unique_clicks, cost, clicks_without_cost, ${FRAUD_CLICK_COLUMNS.join(', ')})
       SELECT campaign_id, ${bucketSql('created_at')}, country, device_type, os, browser,
              count(*), count(*) FILTER (WHERE is_unique), sum(cost), count(*) FILTER (WHERE cost_missing), ${fraudClickCounts('c')}
       FROM ${clicksIn} c GROUP BY 1, 2, 3, 4, 5, 6`,
      params,
    );
    await tx.query(`DELETE FROM click_totals WHERE bucket >= $1 AND bucket < $2`, params);
    await tx.query(
      `INSERT INTO click_totals (grain, bucket, campaign_id, clicks, unique_clicks, cost, clicks_without_cost, ${FRAUD_CLICK_COLUMNS.join(', ')})
       SELECT g.grain, ${grainBucketSql('c.created_at', 'g.grain')}, c.campaign_id,
              count(*), count(*) FILTER (WHERE c.is_unique), sum(c.cost), count(*) FILTER (WHERE c.cost_missing), ${fraudClickCounts('c')}
       FROM ${clicksIn} c CROSS JOIN (VALUES (900), (3600), (86400)) AS g(grain) GROUP BY 1, 2, 3`,
      params,
    );
    await tx.query(`DELETE FROM sub_click_rollups WHERE day >= $1 AND day < $2`, params);
    await tx.query(
      `INSERT INTO sub_click_rollups (sub, day, campaign_id, value, clicks, unique_clicks, cost, clicks_without_cost, ${FRAUD_CLICK_COLUMNS.join(', ')}) ${subRollupSelect(clicksIn)}`,
      params,
    );
    await tx.query(`DELETE FROM fraud_reason_click_rollups WHERE bucket >= $1 AND bucket < $2`, params);
    await tx.query(`WITH added AS (${fraudReasonClicksUpsert(clicksIn, bucketSql)}) SELECT count(*) FROM added`, params);
    await tx.query(`DELETE FROM fraud_reason_conversion_rollups WHERE click_bucket >= $1 AND click_bucket < $2`, params);
    await tx.query(
      `WITH cv AS (${ASSESSED} WHERE c.click_at >= $1 AND c.click_at < $2 AND NOT c.is_test),
       added AS (${fraudReasonConversionsUpsert('cv', '1', bucketSql)}) SELECT count(*) FROM added`,
      params,
    );
    // The value rollups of these days and of the weeks holding them are written again by their job.
    await SubValueRollups.forget(tx, from, to);
    await SubPairRollups.forget(tx, from, to);
    await tx.query(`DELETE FROM conversion_rollups WHERE click_bucket >= $1 AND click_bucket < $2`, params);
    await tx.query(
      `INSERT INTO conversion_rollups (campaign_id, click_bucket, conversion_bucket, country, device_type, os, browser, goal, currency,
                                       approved, pending, declined, refunded, payout, approved_payout, declined_payout, refunded_payout, sale_amount, cost, cost_native,
                                       ${FRAUD_CONVERSION_COLUMNS.join(', ')})
       SELECT campaign_id, ${bucketSql('click_at')}, ${bucketSql('created_at')}, country, device_type, os, browser, goal, trim(currency), ${CONVERSION_SUMS}
       FROM (${ASSESSED}) cv WHERE click_at >= $1 AND click_at < $2 AND NOT is_test GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9`,
      params,
    );
    for (const [basis, time] of [
      ['click', 'click_at'],
      ['conversion', 'created_at'],
    ] as const) {
      await tx.query(`DELETE FROM conversion_totals WHERE basis = $3 AND bucket >= $1 AND bucket < $2`, [...params, basis]);
      await tx.query(
        `INSERT INTO conversion_totals (basis, grain, bucket, campaign_id, conversion_day, goal, currency,
                                        approved, pending, declined, refunded, payout, approved_payout, declined_payout, refunded_payout, sale_amount, cost, cost_native,
                                        ${FRAUD_CONVERSION_COLUMNS.join(', ')})
         SELECT $3, g.grain, ${grainBucketSql(`cv.${time}`, 'g.grain')}, cv.campaign_id, (cv.created_at AT TIME ZONE 'UTC')::date, cv.goal, trim(cv.currency),
                ${CONVERSION_SUMS}
         FROM (${ASSESSED}) cv CROSS JOIN (VALUES (900), (3600), (86400)) AS g(grain)
         WHERE cv.${time} >= $1 AND cv.${time} < $2 AND NOT cv.is_test GROUP BY 1, 2, 3, 4, 5, 6, 7`,
        [...params, basis],
      );
    }
  });
}
