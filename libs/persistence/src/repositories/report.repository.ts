import type { PostbackOutcome, PostbackReason } from '@postwire/core';
import type { SqlExecutor } from '../client/sql-client';
import { CONVERSION_COLUMNS, conversionFromRow, type StoredConversion } from './conversion.columns';
import { isUuid } from './ids';

/** A conversion as the admin API shows it: the stored row without its forwarding revision. */
export type ConversionView = Omit<StoredConversion, 'revision'>;

function viewOf(row: Record<string, unknown>): ConversionView {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  const { revision, ...view } = conversionFromRow(row);
  return view;
}

export interface ReconciliationRow {
  campaignId: string;
  /** UTC day, YYYY-MM-DD. */
  day: string;
  pixelOnly: number;
  s2sOnly: number;
  both: number;
  total: number;
}

/** One status change of a conversion (`from` is null for its first status); amounts are exact decimal strings. */
export interface StatusChange {
  from: string | null;
  to: string;
  payoutBefore: string | null;
  payoutAfter: string | null;
  channel: string;
  postbackId: string | null;
  changedAt: Date;
}

export interface PostbackLogEntry {
  id: string;
  receivedAt: Date;
  channel: string;
  networkId: string | null;
  clickId: string | null;
  params: Record<string, unknown>;
  /** What the adapter made of it (goal, txid, status, amounts, currency): how an `unattributed` sale without click id is found again. */
  canonical: Record<string, unknown> | null;
  ip: string | null;
  outcome: PostbackOutcome;
  reason: string | null;
  conversionId: string | null;
  /** Further `duplicate` or `ignored` postbacks of the click counted on this row instead of stored (batch-writer.ts). */
  repeats: number;
  /** Sent by the console's test tool. */
  isTest: boolean;
  /** The closed reason code (POSTBACK_REASONS); `reason` keeps the detail. */
  reasonCode: PostbackReason | null;
  /** For a refused request: the HTTP status answered, its method and path. */
  httpStatus: number | null;
  method: string | null;
  path: string | null;
}

/** Read side for the admin API: conversions, their history, and the postback log. */
export class ReportRepository {
  constructor(private readonly db: SqlExecutor) {}

  /** `campaignIds` narrows to those campaigns (a client's grant); an empty list matches nothing. */
  async listConversions(filter: {
    clickId?: string;
    conversionId?: string;
    campaignId?: string;
    campaignIds?: readonly string[];
    /** true: only test conversions, false: none; undefined: both. */
    test?: boolean;
    limit?: number;
  }): Promise<ConversionView[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.campaignIds) where.push(`campaign_id = ANY($${params.push(filter.campaignIds.filter(isUuid))}::uuid[])`);
    if (filter.clickId) where.push(`click_id = $${params.push(filter.clickId)}`);
    if (filter.conversionId) {
      if (!isUuid(filter.conversionId)) return [];
      where.push(`id = $${params.push(filter.conversionId)}`);
    }
    if (filter.campaignId) {
      if (!isUuid(filter.campaignId)) return [];
      where.push(`campaign_id = $${params.push(filter.campaignId)}`);
    }
    if (filter.test !== undefined) where.push(`is_test = $${params.push(filter.test)}`);
    const limit = params.push(filter.limit ?? 100);
    const { rows } = await this.db.query<Record<string, unknown>>(
      `SELECT ${CONVERSION_COLUMNS} FROM conversions ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY created_at DESC, id LIMIT $${limit}`,
      params,
    );
    return rows.map(viewOf);
  }

  async getConversion(id: string): Promise<(ConversionView & { history: StatusChange[] }) | undefined> {
    if (!isUuid(id)) return undefined;
    const row = (await this.db.query<Record<string, unknown>>(`SELECT ${CONVERSION_COLUMNS} FROM conversions WHERE id = $1`, [id])).rows[0];
    if (!row) return undefined;
    const conversion = viewOf(row);
    const { rows: history } = await this.db.query<StatusChange>(
      `SELECT from_status AS "from", to_status AS "to", payout_before AS "payoutBefore", payout_after AS "payoutAfter", channel,
              postback_id AS "postbackId", changed_at AS "changedAt"
       FROM conversion_status_history WHERE conversion_id = $1 ORDER BY id`,
      [id],
    );
    return { ...conversion, history };
  }

  /**
   * Per campaign and day: conversions seen by pixel only, by S2S only, and by both — the
   * answer to "the network shows more than the tracker". The rule lives here, in SQL, so the
   * database counts: `source = 'pixel'` is pixel only (the network never confirmed it by postback);
   * an S2S conversion is `both` when a pixel also fired for it (`pixel_seen`), else S2S only (the pixel
   * was blocked, or the landing page has a tracking gap). The attribution e2e test checks the counts.
   */
  async reconciliation(filter: { campaignId?: string; campaignIds?: readonly string[]; from?: Date; to?: Date }): Promise<ReconciliationRow[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.campaignIds) where.push(`campaign_id = ANY($${params.push(filter.campaignIds.filter(isUuid))}::uuid[])`);
    if (filter.campaignId) {
      if (!isUuid(filter.campaignId)) return [];
      where.push(`campaign_id = $${params.push(filter.campaignId)}`);
    }
    if (filter.from) where.push(`created_at >= $${params.push(filter.from)}`);
    if (filter.to) where.push(`created_at < $${params.push(filter.to)}`);
    const { rows } = await this.db.query<ReconciliationRow>(
      `SELECT campaign_id AS "campaignId", to_char(date_trunc('day', created_at AT TIME ZONE 'UTC'), 'YYYY-MM-DD') AS day,
              count(*) FILTER (WHERE source = 'pixel')::int AS "pixelOnly",
              count(*) FILTER (WHERE source = 's2s' AND NOT pixel_seen)::int AS "s2sOnly",
              count(*) FILTER (WHERE source = 's2s' AND pixel_seen)::int AS both,
              count(*)::int AS total
       FROM conversions ${where.length ? 'WHERE ' + where.join(' AND ') : ''}
       GROUP BY 1, 2 ORDER BY 2 DESC, 1`,
      params,
    );
    return rows;
  }

  /** `campaignIds` keeps only postbacks for clicks of those campaigns (unattributed ones have none). */
  async listPostbacks(filter: {
    clickId?: string;
    outcome?: string;
    campaignIds?: readonly string[];
    test?: boolean;
    limit?: number;
  }): Promise<PostbackLogEntry[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.campaignIds)
      where.push(`click_id IN (SELECT id FROM clicks WHERE campaign_id = ANY($${params.push(filter.campaignIds.filter(isUuid))}::uuid[]))`);
    if (filter.clickId) where.push(`click_id = $${params.push(filter.clickId)}`);
    if (filter.outcome) where.push(`outcome = $${params.push(filter.outcome)}`);
    if (filter.test !== undefined) where.push(`is_test = $${params.push(filter.test)}`);
    const limit = params.push(filter.limit ?? 100);
    const { rows } = await this.db.query<PostbackLogEntry>(
      `SELECT id, received_at AS "receivedAt", channel, network_id AS "networkId", click_id AS "clickId", params, canonical, ip, outcome, reason,
              conversion_id AS "conversionId", repeats, is_test AS "isTest", reason_code AS "reasonCode", http_status AS "httpStatus", method, path
       FROM postbacks ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY received_at DESC, id LIMIT $${limit}`,
      params,
    );
    return rows;
  }
}
