import type { Channel, ConversionStatus } from '@postwire/core';

/** One row of `conversions`, as every reader of the table gets it (see {@link conversionFromRow}). */
export interface StoredConversion {
  id: string;
  clickId: string;
  campaignId: string;
  networkId: string;
  /** `''` is the default goal. */
  goal: string;
  txid: string | null;
  status: ConversionStatus;
  /** As stored: numeric(18,6) text, e.g. `"5.000000"`. */
  payout: string | null;
  revenue: string | null;
  /** ISO 4217, the `char(3)` padding trimmed. */
  currency: string;
  source: Channel;
  pixelSeen: boolean;
  /** Bumped with each change that is forwarded; deliveries carry it. */
  revision: number;
  /** Made by a test postback: left out of reports and alerts. */
  isTest: boolean;
  createdAt: Date;
  updatedAt: Date;
}

/**
 * The columns of `conversions` that {@link conversionFromRow} reads, for `SELECT ${CONVERSION_COLUMNS} FROM conversions`.
 * A new column is added here and in the mapper, and every reader of the table has it.
 */
export const CONVERSION_COLUMNS = `id, click_id, campaign_id, network_id, goal, txid, status, payout, revenue, currency, source, pixel_seen, revision, is_test, created_at, updated_at`;

export function conversionFromRow(r: Record<string, unknown>): StoredConversion {
  return {
    id: r.id as string,
    clickId: r.click_id as string,
    campaignId: r.campaign_id as string,
    networkId: r.network_id as string,
    goal: r.goal as string,
    txid: r.txid as string | null,
    status: r.status as ConversionStatus,
    payout: r.payout as string | null,
    revenue: r.revenue as string | null,
    currency: (r.currency as string).trim(),
    source: r.source as Channel,
    pixelSeen: r.pixel_seen as boolean,
    revision: r.revision as number,
    isTest: r.is_test as boolean,
    createdAt: r.created_at as Date,
    updatedAt: r.updated_at as Date,
  };
}
