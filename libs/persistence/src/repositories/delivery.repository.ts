import type { SqlExecutor } from '../client/sql-client';
import { isUuid } from './ids';

export type DeliveryStatus = 'pending' | 'delivered' | 'dead';

export interface Delivery {
  id: string;
  conversionId: string;
  trafficSourceId: string;
  revision: number;
  event: string;
  method: 'GET' | 'POST';
  url: string;
  body: string | null;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: Date;
  lastStatusCode: number | null;
  lastError: string | null;
  createdAt: Date;
  deliveredAt: Date | null;
}

export interface DeliveryAttempt {
  id: number;
  attemptedAt: Date;
  url: string;
  statusCode: number | null;
  latencyMs: number;
  responseSnippet: string | null;
  error: string | null;
}

const DELIVERY = `id, conversion_id AS "conversionId", traffic_source_id AS "trafficSourceId", revision, event, method, url, body, status,
  attempts, next_attempt_at AS "nextAttemptAt", last_status_code AS "lastStatusCode", last_error AS "lastError",
  created_at AS "createdAt", delivered_at AS "deliveredAt"`;

/** The outbox of postbacks owed to traffic sources, and the log of every attempt to send them. */
export class DeliveryRepository {
  constructor(private readonly db: SqlExecutor) {}

  async get(id: string): Promise<Delivery | undefined> {
    if (!isUuid(id)) return undefined;
    return (await this.db.query<Delivery>(`SELECT ${DELIVERY} FROM deliveries WHERE id = $1`, [id])).rows[0];
  }

  async list(filter: { status?: DeliveryStatus; trafficSourceId?: string; conversionId?: string; clickId?: string; limit?: number }): Promise<Delivery[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (filter.status) add('status = ?', filter.status);
    if (filter.trafficSourceId) add('traffic_source_id = ?', filter.trafficSourceId);
    if (filter.conversionId) add('conversion_id = ?', filter.conversionId);
    if (filter.clickId) add('conversion_id IN (SELECT id FROM conversions WHERE click_id = ?)', filter.clickId);
    params.push(filter.limit ?? 100);
    const sql = `SELECT ${DELIVERY} FROM deliveries ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY created_at DESC, id LIMIT $${params.length}`;
    return (await this.db.query<Delivery>(sql, params)).rows;
  }

  async attempts(deliveryId: string): Promise<DeliveryAttempt[]> {
    const { rows } = await this.db.query<DeliveryAttempt>(
      `SELECT id, attempted_at AS "attemptedAt", url, status_code AS "statusCode", latency_ms AS "latencyMs",
              response_snippet AS "responseSnippet", error
       FROM delivery_attempts WHERE delivery_id = $1 ORDER BY id`,
      [deliveryId],
    );
    return rows;
  }

  /** Pending deliveries whose time has come more than `graceMs` ago: the ones a lost job left behind. */
  async listOverdue(now: Date, graceMs: number, limit: number): Promise<Array<{ id: string; nextAttemptAt: Date }>> {
    const { rows } = await this.db.query<{ id: string; nextAttemptAt: Date }>(
      `SELECT id, next_attempt_at AS "nextAttemptAt" FROM deliveries
       WHERE status = 'pending' AND next_attempt_at <= $1
       ORDER BY next_attempt_at LIMIT $2`,
      [new Date(now.getTime() - graceMs), limit],
    );
    return rows;
  }

  /** Records one attempt and its consequence for the delivery, in one statement pair. */
  async recordAttempt(
    id: string,
    attempt: { url: string; statusCode: number | null; latencyMs: number; responseSnippet: string | null; error: string | null },
    next: { status: 'delivered' } | { status: 'pending'; nextAttemptAt: Date } | { status: 'dead' },
  ): Promise<void> {
    await this.db.query(
      `WITH a AS (
         INSERT INTO delivery_attempts (delivery_id, url, status_code, latency_ms, response_snippet, error)
         VALUES ($1, $2, $3, $4, $5, $6)
       )
       UPDATE deliveries SET attempts = attempts + 1, status = $7, last_status_code = $3, last_error = $6,
              next_attempt_at = COALESCE($8, next_attempt_at),
              delivered_at = CASE WHEN $7 = 'delivered' THEN now() ELSE delivered_at END
       WHERE id = $1`,
      [id, attempt.url, attempt.statusCode, attempt.latencyMs, attempt.responseSnippet, attempt.error, next.status, next.status === 'pending' ? next.nextAttemptAt : null],
    );
  }

  /** Puts a delivery back in line (admin retry): pending, due now. */
  async requeue(id: string): Promise<boolean> {
    const { rowCount } = await this.db.query(`UPDATE deliveries SET status = 'pending', next_attempt_at = now() WHERE id = $1`, [id]);
    return rowCount > 0;
  }
}
