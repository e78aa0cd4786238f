import { emptyPage, type ConversionStatus, type Page, type PageRequest } from '@postwire/core';
import type { PostbackOutcome, PostbackReason } from '@postwire/core';
import type { SqlExecutor } from '../client/sql-client';
import { CONVERSION_COLUMNS, conversionFromRow, type StoredConversion } from './conversion.columns';
import { isUuid } from './ids';
import { pagedQuery, whereBuilder } from './paged-query';
import { exportedConversionColumns, type ExportedConversion } from './stats.repository';

/** A conversion as the admin API shows it: the stored row without its forwarding revision. */
export type ConversionView = Omit<StoredConversion, 'revision'>;

function viewOf(row: Record<string, unknown>): ConversionView {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  const { revision, ...view } = conversionFromRow(row);
  return view;
}

/** The conversions list's filters, each optional; `from`/`to` bound `created_at`: [from, to). */
export interface ConversionListFilter {
  clickId?: string;
  conversionId?: string;
  campaignId?: string;
  /** A client's grant: only these campaigns; an empty list matches nothing. */
  campaignIds?: readonly string[];
  networkId?: string;
  /** Conversions of the campaigns that send this source's traffic. */
  trafficSourceId?: string;
  status?: ConversionStatus;
  /** true: only test conversions, false: none; undefined: both. */
  test?: boolean;
  from?: Date;
  to?: Date;
}

const LIST_COLUMNS = CONVERSION_COLUMNS.split(', ')
  .map((c) => `cv.${c}`)
  .join(', ');

/** Where a keyset walk of the conversions list (newest first) continues: after this row. */
export interface ConversionCursor {
  at: Date;
  id: string;
}

/**
 * The list's WHERE over `conversions cv` (`cp` the campaign when joined), or null when it can match nothing
 * (an id that is no uuid never reaches PostgreSQL as a cast error).
 */
function conversionListWhere(filter: ConversionListFilter) {
  const ids = [filter.conversionId, filter.campaignId, filter.networkId, filter.trafficSourceId];
  if (ids.some((id) => id !== undefined && !isUuid(id))) return null;
  if (filter.campaignIds && !filter.campaignIds.some(isUuid)) return null;
  const w = whereBuilder();
  if (filter.campaignIds) w.add('cv.campaign_id = ANY(?::uuid[])', filter.campaignIds.filter(isUuid));
  if (filter.clickId) w.add('cv.click_id = ?', filter.clickId);
  if (filter.conversionId) w.add('cv.id = ?', filter.conversionId);
  if (filter.campaignId) w.add('cv.campaign_id = ?', filter.campaignId);
  if (filter.networkId) w.add('cv.network_id = ?', filter.networkId);
  if (filter.trafficSourceId) w.add('cv.campaign_id IN (SELECT id FROM campaigns WHERE traffic_source_id = ?)', filter.trafficSourceId);
  if (filter.status) w.add('cv.status = ?', filter.status);
  if (filter.test !== undefined) w.add('cv.is_test = ?', filter.test);
  if (filter.from) w.add('cv.created_at >= ?', filter.from);
  if (filter.to) w.add('cv.created_at < ?', filter.to);
  return w;
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

  /** The first `limit` conversions of the list (newest first; 100 unless given). */
  async listConversions(filter: ConversionListFilter & { limit?: number }): Promise<ConversionView[]> {
    const w = conversionListWhere(filter);
    if (!w) return [];
    const { rows } = await this.db.query<Record<string, unknown>>(
      `SELECT ${LIST_COLUMNS} FROM conversions cv ${w.where.length ? 'WHERE ' + w.where.join(' AND ') : ''}
       ORDER BY cv.created_at DESC, cv.id DESC LIMIT $${w.params.push(filter.limit ?? 100)}`,
      w.params,
    );
    return rows.map(viewOf);
  }

  /** One page of the conversions list, newest first, with the (capped) total of the matching ones. */
  async pageConversions(filter: ConversionListFilter, page: PageRequest): Promise<Page<ConversionView>> {
    const w = conversionListWhere(filter);
    if (!w) return emptyPage(page);
    return pagedQuery(
      this.db,
      { columns: LIST_COLUMNS, from: 'conversions cv', where: w.where, params: w.params, orderBy: 'cv.created_at DESC, cv.id DESC' },
      page,
      viewOf,
    );
  }

  /**
   * The conversions list's rows for its CSV, newest first, `limit` of them after `cursor`: the keyset walk
   * csvStream drives, each row with the export's columns (campaign name, click details, subs).
   */
  async exportConversionList(filter: ConversionListFilter, cursor: ConversionCursor | undefined, limit: number): Promise<ExportedConversion[]> {
    const w = conversionListWhere(filter);
    if (!w) return [];
    if (cursor) w.add('(cv.created_at, cv.id) < (?::timestamptz, ?::uuid)', cursor.at, cursor.id);
    w.params.push(limit);
    const { rows } = await this.db.query<ExportedConversion>(
      `SELECT ${exportedConversionColumns('cv.created_at')}
       FROM conversions cv JOIN campaigns cp ON cp.id = cv.campaign_id
       WHERE ${w.where.length ? w.where.join(' AND ') : 'true'}
       ORDER BY cv.created_at DESC, cv.id DESC LIMIT $${w.params.length}`,
      w.params,
    );
    return rows;
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
