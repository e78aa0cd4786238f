import { spreadCost } from '@postwire/core';
import type { SqlClient } from '../client/sql-client';
import { bucketSql } from './click.repository';
import { isUuid } from './ids';

export interface CostCorrection {
  id: string;
  campaignId: string;
  from: Date;
  to: Date;
  amount: string;
  clicks: number;
  perClick: string;
  remainder: string;
  firstClickId: string | null;
}

export interface CurrencyRate {
  currency: string;
  /** YYYY-MM-DD: the rate applies from this UTC day until the next one given. */
  day: string;
  rate: string;
}

/**
 * Manual costs and currency rates. A correction is a handful of rows (one per click rollup row of
 * its range and one per 15-minute bucket), never a rewrite of clicks, so a month is corrected in
 * well under a second and the next report shows it.
 */
export class CostRepository {
  constructor(private readonly db: SqlClient) {}

  /**
   * Replaces the campaign's cost in `[from, to)` (15-minute boundaries) by `amount`, spread evenly
   * over the range's clicks. Undefined for an unknown campaign; `no_clicks` when the range has none
   * (nothing to spread over; nothing is stored).
   */
  async correct(campaignId: string, from: Date, to: Date, amount: string): Promise<CostCorrection | 'no_clicks' | undefined> {
    if (!isUuid(campaignId)) return undefined;
    return this.db.transaction(async (tx) => {
      // One correction per campaign at a time: the later one wins where ranges overlap.
      const campaign = await tx.query('SELECT id FROM campaigns WHERE id = $1 FOR UPDATE', [campaignId]);
      if (!campaign.rows.length) return undefined;
      const { rows: counted } = await tx.query<{ n: string }>(
        'SELECT coalesce(sum(clicks), 0)::text AS n FROM click_rollups WHERE campaign_id = $1 AND bucket >= $2 AND bucket < $3',
        [campaignId, from, to],
      );
      const clicks = Number(counted[0].n);
      if (clicks === 0) return 'no_clicks' as const;
      const { perClick, remainder } = spreadCost(amount, clicks);
      // The remainder rides on the first click by id (ids start with their millisecond: the earliest click).
      const { rows: first } = await tx.query<Record<string, string>>(
        `SELECT id, ${bucketSql('created_at')} AS bucket, country, device_type, os, browser FROM clicks
         WHERE campaign_id = $1 AND created_at >= $2 AND created_at < $3 AND NOT paused ORDER BY id LIMIT 1`,
        [campaignId, from, to],
      );
      const { rows } = await tx.query<{ id: string }>(
        `INSERT INTO cost_corrections (campaign_id, range_from, range_to, amount, clicks, per_click, remainder, first_click_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id::text AS id`,
        [campaignId, from, to, amount, clicks, perClick, remainder, first[0]?.id ?? null],
      );
      const id = rows[0].id;
      await tx.query('DELETE FROM cost_override_rollups WHERE campaign_id = $1 AND bucket >= $2 AND bucket < $3', [campaignId, from, to]);
      // Without a stored click (deleted by retention) the remainder goes to the first rollup row.
      await tx.query(
        `INSERT INTO cost_override_rollups (campaign_id, bucket, country, device_type, os, browser, cost)
         SELECT campaign_id, bucket, country, device_type, os, browser,
                clicks * $4::numeric + CASE WHEN (CASE WHEN $5::text IS NULL
                    THEN row_number() OVER (ORDER BY bucket, country, device_type, os, browser) = 1
                    ELSE (bucket, country, device_type, os, browser) = ($6::timestamptz, $7::text, $8::text, $9::text, $10::text) END)
                  THEN $11::numeric ELSE 0 END
         FROM click_rollups WHERE campaign_id = $1 AND bucket >= $2 AND bucket < $3 AND clicks > 0`,
        [
          campaignId,
          from,
          to,
          perClick,
          first[0]?.id ?? null,
          first[0]?.bucket ?? null,
          first[0]?.country ?? null,
          first[0]?.device_type ?? null,
          first[0]?.os ?? null,
          first[0]?.browser ?? null,
          remainder,
        ],
      );
      await tx.query(
        `INSERT INTO cost_override_buckets (campaign_id, bucket, correction_id)
         SELECT $1, b, $4 FROM generate_series($2::timestamptz, $3::timestamptz - interval '15 minutes', interval '15 minutes') AS b
         ON CONFLICT (campaign_id, bucket) DO UPDATE SET correction_id = EXCLUDED.correction_id`,
        [campaignId, from, to, id],
      );
      return { id, campaignId, from, to, amount, clicks, perClick, remainder, firstClickId: first[0]?.id ?? null };
    });
  }

  async listCorrections(campaignId: string): Promise<CostCorrection[]> {
    if (!isUuid(campaignId)) return [];
    const { rows } = await this.db.query<CostCorrection>(
      `SELECT id::text AS id, campaign_id AS "campaignId", range_from AS "from", range_to AS "to", amount::text AS amount, clicks::int AS clicks,
              per_click::text AS "perClick", remainder::text AS remainder, first_click_id AS "firstClickId"
       FROM cost_corrections WHERE campaign_id = $1 ORDER BY id`,
      [campaignId],
    );
    return rows;
  }

  /** Sets rates (upsert per currency and day), all or none. */
  async putRates(rates: readonly CurrencyRate[]): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO currency_rates (currency, day, rate)
         SELECT * FROM unnest($1::text[], $2::date[], $3::numeric[])
         ON CONFLICT (currency, day) DO UPDATE SET rate = EXCLUDED.rate, updated_at = now()`,
        [rates.map((r) => r.currency), rates.map((r) => r.day), rates.map((r) => r.rate)],
      );
    });
  }

  async listRates(): Promise<CurrencyRate[]> {
    const { rows } = await this.db.query<CurrencyRate>(
      `SELECT currency, to_char(day, 'YYYY-MM-DD') AS day, trim(trailing '.' FROM trim(trailing '0' FROM rate::text)) AS rate FROM currency_rates ORDER BY currency, day`,
    );
    return rows;
  }
}
