import type { Page, PageRequest, PostbackOutcome, PostbackReason } from '@postwire/core';
import { EXPIRING_OUTCOMES } from '../partitions/postback-log-partitions';
import type { SqlExecutor } from '../client/sql-client';
import { isUuid } from './ids';
import { pagedQuery } from './paged-query';

/** One row of the postback log as the Received postbacks list shows it. */
export interface ReceivedPostback {
  id: string;
  receivedAt: Date;
  channel: string;
  networkId: string | null;
  clickId: string | null;
  params: Record<string, unknown>;
  canonical: Record<string, unknown> | null;
  ip: string | null;
  outcome: PostbackOutcome;
  reasonCode: PostbackReason | null;
  reason: string | null;
  conversionId: string | null;
  repeats: number;
  isTest: boolean;
  httpStatus: number | null;
  method: string | null;
  path: string | null;
}

/** The filters of the Received postbacks list; all optional, combined with AND. */
export interface ReceivedPostbackFilter {
  from?: Date;
  to?: Date;
  networkId?: string;
  outcome?: PostbackOutcome;
  reasonCode?: PostbackReason;
  clickId?: string;
  /** Matches a row whose click id, txid or source address is exactly this. */
  search?: string;
  test?: boolean;
  /** A client's campaigns: only rows of clicks of these (rows without a click are never shown then). */
  campaignIds?: readonly string[];
}

/** Where a keyset page starts: after this row in the list's order (newest first). */
export interface ReceivedPostbackCursor {
  receivedAt: Date;
  id: string;
}

const COLUMNS = `id, received_at AS "receivedAt", channel, network_id AS "networkId", click_id AS "clickId", params, canonical, ip, outcome,
  reason_code AS "reasonCode", reason, conversion_id AS "conversionId", repeats, is_test AS "isTest", http_status AS "httpStatus", method, path`;

/** The postback log read as a list: filtered, paged with a capped total, or walked by keyset for an export. */
export class PostbackLogRepository {
  constructor(private readonly db: SqlExecutor) {}

  /** A page (newest first) with the capped total of matching rows (see pagedQuery). */
  page(filter: ReceivedPostbackFilter, page: PageRequest): Promise<Page<ReceivedPostback>> {
    const { params, clauses } = whereOf(filter);
    return pagedQuery<ReceivedPostback>(this.db, { columns: COLUMNS, from: 'postbacks', where: clauses, params, orderBy: 'received_at DESC, id DESC' }, page);
  }

  /** Up to `limit` rows after `cursor` in the list's order: an export walks the filtered rows with these. */
  async after(filter: ReceivedPostbackFilter, cursor: ReceivedPostbackCursor | undefined, limit: number): Promise<ReceivedPostback[]> {
    const { where, params, clauses } = whereOf(filter);
    if (cursor) {
      clauses.push(`(received_at, id) < ($${params.push(cursor.receivedAt)}::timestamptz, $${params.push(cursor.id)}::uuid)`);
    }
    const keyed = clauses.length ? `WHERE ${clauses.join(' AND ')}` : where;
    const { rows } = await this.db.query<ReceivedPostback>(
      `SELECT ${COLUMNS} FROM postbacks ${keyed} ORDER BY received_at DESC, id DESC LIMIT $${params.push(limit)}`,
      params,
    );
    return rows;
  }

  /** Refusals only counted (beyond the per-address bound) since `since`, by reason: what the list cannot show row by row. */
  async countedRefusals(since: Date): Promise<Array<{ reasonCode: PostbackReason; count: number }>> {
    const { rows } = await this.db.query<{ reasonCode: PostbackReason; count: number }>(
      `SELECT reason_code AS "reasonCode", sum(count)::int AS count FROM postback_refusals_counted WHERE minute >= $1 GROUP BY reason_code ORDER BY reason_code`,
      [since],
    );
    return rows;
  }
}

function whereOf(filter: ReceivedPostbackFilter): { where: string; params: unknown[]; clauses: string[] } {
  const clauses: string[] = [];
  const params: unknown[] = [];
  if (filter.campaignIds)
    clauses.push(`click_id IN (SELECT id FROM clicks WHERE campaign_id = ANY($${params.push(filter.campaignIds.filter(isUuid))}::uuid[]))`);
  if (filter.from) clauses.push(`received_at >= $${params.push(filter.from)}`);
  if (filter.to) clauses.push(`received_at < $${params.push(filter.to)}`);
  if (filter.networkId) clauses.push(isUuid(filter.networkId) ? `network_id = $${params.push(filter.networkId)}::uuid` : 'false');
  if (filter.outcome) clauses.push(`outcome = $${params.push(filter.outcome)}`);
  // Rows of these outcomes never expire (migration 029's rule): said as a constant, it lets PostgreSQL leave
  // the expiring side of the partitioned log out of the plan, every day of it.
  if (filter.outcome && !(EXPIRING_OUTCOMES as readonly string[]).includes(filter.outcome)) clauses.push('NOT expires');
  if (filter.reasonCode) clauses.push(`reason_code = $${params.push(filter.reasonCode)}`);
  if (filter.clickId) clauses.push(`click_id = $${params.push(filter.clickId)}`);
  if (filter.search) {
    const at = params.push(filter.search);
    clauses.push(`(click_id = $${at} OR canonical ->> 'txid' = $${at} OR ip = $${at})`);
  }
  if (filter.test !== undefined) clauses.push(`is_test = $${params.push(filter.test)}`);
  return { where: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', params, clauses };
}
