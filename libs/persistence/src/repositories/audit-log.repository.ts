import type { AuditActor, AuditEntry, AuditTrail } from '@postwire/core';
import type { SqlExecutor } from '../client/sql-client';

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

  /** One page of the log, newest first, and how many entries match the filter in all. */
  async list(filter: AuditFilter): Promise<{ items: AuditRecord[]; total: number }> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (filter.entityType !== undefined) add('entity_type = ?', filter.entityType);
    if (filter.entityId !== undefined) add('entity_id = ?', filter.entityId.toLowerCase());
    if (filter.actorId !== undefined) add('actor_id = ?', filter.actorId.toLowerCase());
    if (filter.action !== undefined) add('action = ?', filter.action);
    if (filter.from !== undefined) add('at >= ?', filter.from);
    if (filter.to !== undefined) add('at < ?', filter.to);
    const whereSql = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const [page, total] = await Promise.all([
      this.db.query<{ id: string; at: Date; actor_type: AuditActor['type']; actor_id: string | null; actor_label: string | null } & Record<string, unknown>>(
        `SELECT id::text AS id, at, actor_type, actor_id, actor_label, entity_type, entity_id, action, before, after
         FROM audit_log ${whereSql} ORDER BY id DESC LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
        [...params, filter.limit, filter.offset],
      ),
      this.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log ${whereSql}`, params),
    ]);
    return {
      total: total.rows[0].n,
      items: page.rows.map((r) => ({
        id: r.id,
        at: r.at,
        actor: { type: r.actor_type, id: r.actor_id, label: r.actor_label },
        entityType: r.entity_type as string,
        entityId: r.entity_id as string,
        action: r.action as string,
        before: r.before ?? null,
        after: r.after ?? null,
      })),
    };
  }
}
