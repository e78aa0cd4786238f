import { parseAmount, type ConversionStatus, type ForwardingFilter, type ForwardingFormat, type PayoutShare } from '@postwire/core';
import type { SqlExecutor } from '../client/sql-client';
import { isUuid } from './ids';

/**
 * A campaign's own forwarding rules, over its traffic source's. Each field left `null` is the
 * source's: a campaign overrides only what it sets.
 */
export interface CampaignForwardingRules {
  /** Goals forwarded (`''` is the default goal); `null`: as the source. */
  goals: string[] | null;
  /** Statuses forwarded; `null`: as the source. */
  statuses: ConversionStatus[] | null;
  /** Payout share or fixed payout; `null`: as the source. */
  payoutShare: PayoutShare | null;
  /** Retry schedule in ms, each the wait before that attempt; `null`: as the source. */
  retryScheduleMs: number[] | null;
}

/** The rule columns, with the table aliased `cfr` and each column prefixed `cfr_`, for a LEFT JOIN next to the source's columns. */
export const CAMPAIGN_RULE_COLUMNS = `cfr.goals AS cfr_goals, cfr.statuses AS cfr_statuses, cfr.payout_share_type AS cfr_payout_share_type,
  cfr.payout_share_value AS cfr_payout_share_value, cfr.payout_share_currency AS cfr_payout_share_currency, cfr.retry_schedule_ms AS cfr_retry_schedule_ms`;

/** Reads the rules from a row holding {@link CAMPAIGN_RULE_COLUMNS}; every field `null` when the campaign has none. */
export function campaignRulesFromRow(r: Record<string, unknown>): CampaignForwardingRules {
  return {
    goals: (r.cfr_goals as string[] | null) ?? null,
    statuses: (r.cfr_statuses as ConversionStatus[] | null) ?? null,
    payoutShare: shareFromRow(r.cfr_payout_share_type as string | null, r.cfr_payout_share_value, r.cfr_payout_share_currency as string | null),
    retryScheduleMs: (r.cfr_retry_schedule_ms as number[] | null) ?? null,
  };
}

/** The source's settings with the campaign's rules laid over them. */
export function withCampaignRules<T extends ForwardingFilter & ForwardingFormat>(source: T, rules: CampaignForwardingRules): T {
  return {
    ...source,
    goals: rules.goals ?? source.goals,
    statuses: rules.statuses ?? source.statuses,
    payoutShare: rules.payoutShare ?? source.payoutShare,
  };
}

function shareFromRow(type: string | null, rawValue: unknown, currency: string | null): PayoutShare | null {
  if (type !== 'percent' && type !== 'fixed') return null;
  const parsed = parseAmount(String(rawValue));
  const value = parsed.ok ? parsed.value : String(rawValue);
  return type === 'percent' ? { type, value } : { type, value, currency: currency ? currency.trim() : null };
}

const EMPTY: CampaignForwardingRules = { goals: null, statuses: null, payoutShare: null, retryScheduleMs: null };

/**
 * `campaign_forwarding_rules`: read and replace a campaign's override as a whole. A change of them is an
 * edit of the campaign: the admin API runs {@link put} inside the campaign's edit (its lock, version and audit).
 */
export class CampaignForwardingRulesRepository {
  constructor(private readonly db: SqlExecutor) {}

  /** The campaign's rules (all `null` when it has none); undefined for an unknown campaign. */
  async get(campaignId: string): Promise<CampaignForwardingRules | undefined> {
    return (await this.getVersioned(campaignId))?.rules;
  }

  /** The rules with the campaign's version, read in one statement: the version a save of these rules sends back. */
  async getVersioned(campaignId: string): Promise<{ rules: CampaignForwardingRules; version: number } | undefined> {
    if (!isUuid(campaignId)) return undefined;
    const { rows } = await this.db.query<Record<string, unknown>>(
      `SELECT cp.version, ${CAMPAIGN_RULE_COLUMNS} FROM campaigns cp LEFT JOIN campaign_forwarding_rules cfr ON cfr.campaign_id = cp.id WHERE cp.id = $1`,
      [campaignId],
    );
    return rows[0] ? { rules: campaignRulesFromRow(rows[0]), version: rows[0].version as number } : undefined;
  }

  /** Replaces the campaign's rules; all `null` removes the override. Undefined for an unknown campaign. */
  async put(campaignId: string, rules: CampaignForwardingRules): Promise<CampaignForwardingRules | undefined> {
    if (!isUuid(campaignId)) return undefined;
    const found = await this.db.query('SELECT id FROM campaigns WHERE id = $1', [campaignId]);
    if (!found.rows.length) return undefined;
    const empty = Object.values(rules).every((v) => v === null);
    if (empty) {
      await this.db.query('DELETE FROM campaign_forwarding_rules WHERE campaign_id = $1', [campaignId]);
      return { ...EMPTY };
    }
    const share = rules.payoutShare;
    await this.db.query(
      `INSERT INTO campaign_forwarding_rules (campaign_id, goals, statuses, payout_share_type, payout_share_value, payout_share_currency, retry_schedule_ms)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (campaign_id) DO UPDATE SET goals = EXCLUDED.goals, statuses = EXCLUDED.statuses, payout_share_type = EXCLUDED.payout_share_type,
         payout_share_value = EXCLUDED.payout_share_value, payout_share_currency = EXCLUDED.payout_share_currency,
         retry_schedule_ms = EXCLUDED.retry_schedule_ms, updated_at = now()`,
      [
        campaignId,
        rules.goals,
        rules.statuses,
        share?.type ?? null,
        share?.value ?? null,
        share?.type === 'fixed' ? share.currency : null,
        rules.retryScheduleMs,
      ],
    );
    return rules;
  }
}
