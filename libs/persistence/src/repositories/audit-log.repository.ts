import type { AuditActor, AuditEntry, AuditTrail, Page } from '@postwire/core';
import type { SqlExecutor } from '../client/sql-client';
import { pagedQuery, whereBuilder } from './paged-query';

/** One stored change, as the audit log's readers get it. */
export interface AuditRecord {
  id: string;
  at: Date;
  actor: AuditActor;
  entityType: string;
  entityId: string;
  action: string;
  before: unknown;
  after: unknown;
}

/** Filters of the audit log; every one optional. `before`/`after` bound `at`: [from, to). */
export interface AuditFilter {
  entityType?: string;
  entityId?: string;
  actorId?: string;
  action?: string;
  from?: Date;
  to?: Date;
  limit: number;
  offset: number;
}

/** The audit log: written by every feature that changes something (through {@link AuditTrail}), read page by page. */
export class AuditLogRepository implements AuditTrail<SqlExecutor> {
  constructor(private readonly db: SqlExecutor) {}

  /** Writes the entries in one statement, on `executor` (the change's transaction) when given. */
  async record(entries: readonly AuditEntry[], executor: SqlExecutor = this.db): Promise<void> {
    if (entries.length === 0) return;
    await executor.query(
      `INSERT INTO audit_log (actor_type, actor_id, actor_label, entity_type, entity_id, action, before, after)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::jsonb[], $8::jsonb[])`,
      [
        entries.map((e) => e.actor.type),
        entries.map((e) => e.actor.id),
        entries.map((e) => e.actor.label),
        entries.map((e) => e.entityType),
        entries.map((e) => e.entityId),
        entries.map((e) => e.action),
        entries.map((e) => (e.before === null || e.before === undefined ? null : JSON.stringify(e.before))),
        entries.map((e) => (e.after === null || e.after === undefined ? null : JSON.stringify(e.after))),
      ],
    );
  }

  /** One page of the log, newest first, and how many entries match the filter in all (counted up to COUNT_CAP). */
  async list(filter: AuditFilter): Promise<Page<AuditRecord>> {
    const w = auditWhere(filter);
    return pagedQuery<AuditRow, AuditRecord>(
      this.db,
      { columns: AUDIT_COLUMNS, from: 'audit_log', where: w.where, params: w.params, orderBy: AUDIT_ORDER },
      filter,
      recordOf,
    );
  }

  /** `limit` entries of the log after the entry `afterId` (newest first): the keyset walk of its CSV export. */
  async listAfter(filter: Omit<AuditFilter, 'limit' | 'offset'>, afterId: string | undefined, limit: number): Promise<AuditRecord[]> {
    const w = auditWhere(filter);
    if (afterId !== undefined) w.add('id < ?::bigint', afterId);
    const { rows } = await this.db.query<AuditRow>(
      `SELECT ${AUDIT_COLUMNS} FROM audit_log ${w.where.length ? `WHERE ${w.where.join(' AND ')}` : ''} ORDER BY ${AUDIT_ORDER} LIMIT $${w.params.push(limit)}`,
      w.params,
    );
    return rows.map(recordOf);
  }
}

// The table's bigint id, not the text `id` the columns hand out: by that, entry 9 came before entry 12.
const AUDIT_ORDER = 'audit_log.id DESC';
const AUDIT_COLUMNS = 'id::text AS id, at, actor_type, actor_id, actor_label, entity_type, entity_id, action, before, after';

type AuditRow = { id: string; at: Date; actor_type: AuditActor['type']; actor_id: string | null; actor_label: string | null } & Record<string, unknown>;

function auditWhere(filter: Omit<AuditFilter, 'limit' | 'offset'>) {
  const w = whereBuilder();
  if (filter.entityType !== undefined) w.add('entity_type = ?', filter.entityType);
  if (filter.entityId !== undefined) w.add('entity_id = ?', filter.entityId.toLowerCase());
  if (filter.actorId !== undefined) w.add('actor_id = ?', filter.actorId.toLowerCase());
  if (filter.action !== undefined) w.add('action = ?', filter.action);
  if (filter.from !== undefined) w.add('at >= ?', filter.from);
  if (filter.to !== undefined) w.add('at < ?', filter.to);
  return w;
}

function recordOf(r: AuditRow): AuditRecord {
  return {
    id: r.id,
    at: r.at,
    actor: { type: r.actor_type, id: r.actor_id, label: r.actor_label },
    entityType: r.entity_type as string,
    entityId: r.entity_id as string,
    action: r.action as string,
    before: r.before ?? null,
    after: r.after ?? null,
  };
}
