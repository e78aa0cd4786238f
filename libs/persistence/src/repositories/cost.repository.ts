import { fromMicros, spreadCost, toMicros } from '@postwire/core';
import type { SqlClient, SqlExecutor } from '../client/sql-client';
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
  /** Who set it: a user's e-mail or an API key's label; null for corrections older than the cost history. */
  setBy: string | null;
  /** What was entered: a total for the range or an amount per click. */
  mode: 'total' | 'per_click';
  /** The amount as entered, in `currency`. */
  enteredValue: string | null;
  /** The currency entered (null: the report currency). */
  currency: string | null;
  /** What the range cost before, in the report currency (click costs and cpa costs; see {@link CostRepository.preview}). */
  replacedCost: string | null;
  createdAt: Date;
}

/** A correction as asked for, before it is turned into a report-currency total. */
export interface CorrectionInput {
  from: Date;
  to: Date;
  /** The total for the range, or an amount per click (times the range's clicks). */
  amount: { total: string } | { perClick: string };
  /** The currency of the amount; converted with the rate of `from`'s UTC day (currency_rates). Null: the report currency. */
  currency: string | null;
  setBy: string | null;
}

/** What a correction would do, shown before it is applied. */
export interface CorrectionPreview {
  clicks: number;
  /** The report-currency total the range would cost. */
  amount: string;
  perClick: string;
  remainder: string;
  /** The rate used (1 in the report currency). */
  rate: string;
  /** What the range costs now, in the report currency. */
  currentCost: string;
  /** Earlier corrections that govern part of the range now, which this one replaces there. */
  replaces: CostCorrection[];
}

export type CorrectionRefusal = 'no_clicks' | 'no_rate';

export interface CurrencyRate {
  currency: string;
  /** YYYY-MM-DD: the rate applies from this UTC day until the next one given. */
  day: string;
  rate: string;
}

const CORRECTION_COLUMNS = `id::text AS id, campaign_id AS "campaignId", range_from AS "from", range_to AS "to", amount::text AS amount, clicks::int AS clicks,
  per_click::text AS "perClick", remainder::text AS remainder, first_click_id AS "firstClickId", set_by AS "setBy", entered_mode AS mode,
  entered_value::text AS "enteredValue", trim(entered_currency) AS currency, replaced_cost::text AS "replacedCost", created_at AS "createdAt"`;

/**
 * Manual costs and currency rates. A correction is a handful of rows (one per click rollup row of
 * its range and one per 15-minute bucket), never a rewrite of clicks, so a month is corrected in
 * well under a second and the next report shows it.
 */
export class CostRepository {
  constructor(private readonly db: SqlClient) {}

  /**
   * What {@link correct} would do, without doing it: the range's clicks, the total and per-click
   * amounts, what the range costs now and the corrections it would replace. Undefined for an
   * unknown campaign.
   */
  async preview(campaignId: string, input: CorrectionInput): Promise<CorrectionPreview | CorrectionRefusal | undefined> {
    if (!isUuid(campaignId)) return undefined;
    return this.db.transaction(async (tx) => {
      const campaign = await tx.query('SELECT id FROM campaigns WHERE id = $1', [campaignId]);
      if (!campaign.rows.length) return undefined;
      return this.plan(tx, campaignId, input);
    });
  }

  /**
   * Replaces the campaign's cost in `[from, to)` (15-minute boundaries) by the amount, spread evenly
   * over the range's clicks. Undefined for an unknown campaign; `no_clicks` when the range has none
   * (nothing to spread over), `no_rate` when the currency has no rate for that day: nothing is stored.
   */
  async correct(campaignId: string, input: CorrectionInput): Promise<CostCorrection | CorrectionRefusal | undefined> {
    if (!isUuid(campaignId)) return undefined;
    const { from, to } = input;
    return this.db.transaction(async (tx) => {
      // One correction per campaign at a time: the later one wins where ranges overlap.
      const campaign = await tx.query('SELECT id FROM campaigns WHERE id = $1 FOR UPDATE', [campaignId]);
      if (!campaign.rows.length) return undefined;
      const plan = await this.plan(tx, campaignId, input);
      if (typeof plan === 'string') return plan;
      const { clicks, amount, perClick, remainder, currentCost } = plan;
      // The remainder rides on the first click by id (ids start with their millisecond: the earliest click).
      const { rows: first } = await tx.query<Record<string, string>>(
        `SELECT id, ${bucketSql('created_at')} AS bucket, country, device_type, os, browser FROM clicks
         WHERE campaign_id = $1 AND created_at >= $2 AND created_at < $3 AND NOT paused ORDER BY id LIMIT 1`,
        [campaignId, from, to],
      );
      const entered = 'total' in input.amount ? input.amount.total : input.amount.perClick;
      const { rows } = await tx.query<{ id: string; created_at: Date }>(
        `INSERT INTO cost_corrections (campaign_id, range_from, range_to, amount, clicks, per_click, remainder, first_click_id,
                                       set_by, entered_mode, entered_value, entered_currency, replaced_cost)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id::text AS id, created_at`,
        [
          campaignId,
          from,
          to,
          amount,
          clicks,
          perClick,
          remainder,
          first[0]?.id ?? null,
          input.setBy,
          'total' in input.amount ? 'total' : 'per_click',
          entered,
          input.currency,
          currentCost,
        ],
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
      return {
        id,
        campaignId,
        from,
        to,
        amount,
        clicks,
        perClick,
        remainder,
        firstClickId: first[0]?.id ?? null,
        setBy: input.setBy,
        mode: 'total' in input.amount ? ('total' as const) : ('per_click' as const),
        enteredValue: entered,
        currency: input.currency,
        replacedCost: currentCost,
        createdAt: rows[0].created_at,
      };
    });
  }

  /** Counts the range's clicks, converts the amount, spreads it, and reads what the range costs now and which corrections govern it. */
  private async plan(tx: SqlExecutor, campaignId: string, input: CorrectionInput): Promise<CorrectionPreview | CorrectionRefusal> {
    const { from, to } = input;
    const { rows: counted } = await tx.query<{ n: string }>(
      'SELECT coalesce(sum(clicks), 0)::text AS n FROM click_rollups WHERE campaign_id = $1 AND bucket >= $2 AND bucket < $3',
      [campaignId, from, to],
    );
    const clicks = Number(counted[0].n);
    if (clicks === 0) return 'no_clicks';
    let rate = '1';
    if (input.currency !== null) {
      const { rows } = await tx.query<{ rate: string }>(
        `SELECT rate::text AS rate FROM currency_rates WHERE currency = $1 AND day <= ($2::timestamptz AT TIME ZONE 'UTC')::date ORDER BY day DESC LIMIT 1`,
        [input.currency, from],
      );
      if (!rows.length) return 'no_rate';
      rate = rows[0].rate;
    }
    const entered = 'total' in input.amount ? input.amount.total : fromMicros(toMicros(input.amount.perClick) * BigInt(clicks));
    const { rows: converted } = await tx.query<{ amount: string }>(`SELECT round($1::numeric * $2::numeric, 6)::text AS amount`, [entered, rate]);
    const amount = fromMicros(toMicros(converted[0].amount));
    const { perClick, remainder } = spreadCost(amount, clicks);
    // What the range costs now: the click costs of buckets no correction governs, the governing corrections' amounts, and cpa costs of
    // the conversions of clicks in ungoverned buckets (revshare costs are in the conversion's currency and left out).
    const { rows: cost } = await tx.query<{ cost: string }>(
      `SELECT (coalesce((SELECT sum(cr.cost) FROM click_rollups cr WHERE cr.campaign_id = $1 AND cr.bucket >= $2 AND cr.bucket < $3
                 AND NOT EXISTS (SELECT 1 FROM cost_override_buckets b WHERE b.campaign_id = cr.campaign_id AND b.bucket = cr.bucket)), 0)
             + coalesce((SELECT sum(o.cost) FROM cost_override_rollups o WHERE o.campaign_id = $1 AND o.bucket >= $2 AND o.bucket < $3), 0)
             + coalesce((SELECT sum(v.cost) FROM conversion_rollups v WHERE v.campaign_id = $1 AND v.click_bucket >= $2 AND v.click_bucket < $3
                 AND NOT EXISTS (SELECT 1 FROM cost_override_buckets b WHERE b.campaign_id = v.campaign_id AND b.bucket = v.click_bucket)), 0))::text AS cost`,
      [campaignId, from, to],
    );
    const { rows: replaced } = await tx.query<Record<string, unknown>>(
      `SELECT ${CORRECTION_COLUMNS} FROM cost_corrections
       WHERE id IN (SELECT DISTINCT correction_id FROM cost_override_buckets WHERE campaign_id = $1 AND bucket >= $2 AND bucket < $3) ORDER BY id`,
      [campaignId, from, to],
    );
    return {
      clicks,
      amount,
      perClick,
      remainder,
      rate: fromMicros(toMicros(rate)),
      currentCost: fromMicros(toMicros(cost[0].cost)),
      replaces: replaced as unknown as CostCorrection[],
    };
  }

  async listCorrections(campaignId: string): Promise<CostCorrection[]> {
    if (!isUuid(campaignId)) return [];
    const { rows } = await this.db.query<CostCorrection>(`SELECT ${CORRECTION_COLUMNS} FROM cost_corrections WHERE campaign_id = $1 ORDER BY id`, [campaignId]);
    return rows;
  }

  /**
   * Sets rates (upsert per currency and day), all or none (one statement), in `tx` when given; returns the rates
   * they replaced, for the audit trail.
   */
  async putRates(rates: readonly CurrencyRate[], tx: SqlExecutor = this.db): Promise<CurrencyRate[]> {
    const args = [rates.map((r) => r.currency), rates.map((r) => r.day), rates.map((r) => r.rate)];
    const { rows } = await tx.query<CurrencyRate>(
      `SELECT r.currency, to_char(r.day, 'YYYY-MM-DD') AS day, trim(trailing '.' FROM trim(trailing '0' FROM r.rate::text)) AS rate
       FROM currency_rates r JOIN unnest($1::text[], $2::date[]) AS n(currency, day) ON n.currency = r.currency AND n.day = r.day
       ORDER BY r.currency, r.day FOR UPDATE OF r`,
      args.slice(0, 2),
    );
    await tx.query(
      `INSERT INTO currency_rates (currency, day, rate)
       SELECT * FROM unnest($1::text[], $2::date[], $3::numeric[])
       ON CONFLICT (currency, day) DO UPDATE SET rate = EXCLUDED.rate, updated_at = now()`,
      args,
    );
    return rows;
  }

  async listRates(): Promise<CurrencyRate[]> {
    const { rows } = await this.db.query<CurrencyRate>(
      `SELECT currency, to_char(day, 'YYYY-MM-DD') AS day, trim(trailing '.' FROM trim(trailing '0' FROM rate::text)) AS rate FROM currency_rates ORDER BY currency, day`,
    );
    return rows;
  }
}
