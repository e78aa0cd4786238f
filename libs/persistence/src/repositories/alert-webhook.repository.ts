import type { SqlExecutor } from '../client/sql-client';
import { isUuid } from './ids';

export type AlertWebhookFormat = 'json' | 'slack';

/** An endpoint alerts are sent to. The signing secret stays sealed here; only the sender opens it. */
export interface AlertWebhook {
  id: string;
  name: string;
  url: string;
  format: AlertWebhookFormat;
  enabled: boolean;
  createdAt: Date;
}

export type AlertEvent = 'fired' | 'resolved' | 'test';

/** One message sent (or tried) to a webhook. */
export interface AlertWebhookSend {
  id: number;
  webhookId: string;
  event: AlertEvent;
  kind: string;
  subjectId: string;
  status: 'sent' | 'failed';
  statusCode: number | null;
  error: string | null;
  sentAt: Date;
}

/** An alert as the state table keeps it. */
export interface AlertSubject {
  kind: string;
  subjectId: string;
  subjectName: string;
  message: string;
}

/** An alert that just started or resolved, and whether it is to be sent (outside its cool-down). */
export interface AlertChange extends AlertSubject {
  event: 'fired' | 'resolved';
  send: boolean;
}

const WEBHOOK = `id, name, url, format, enabled, created_at AS "createdAt"`;
const SEND = `id::int AS id, webhook_id AS "webhookId", event, kind, subject_id AS "subjectId", status, status_code AS "statusCode", error, sent_at AS "sentAt"`;

/** Sends kept per webhook: the oldest beyond this go as new ones are written. */
const SENDS_KEPT = 200;

/** Alert webhooks, the record of what was sent to them, and which alerts are open (docs/forwarding.md#alert-webhooks). */
export class AlertWebhookRepository {
  constructor(private readonly db: SqlExecutor) {}

  async list(): Promise<AlertWebhook[]> {
    return (await this.db.query<AlertWebhook>(`SELECT ${WEBHOOK} FROM alert_webhooks ORDER BY created_at, id`)).rows;
  }

  async get(id: string): Promise<AlertWebhook | undefined> {
    if (!isUuid(id)) return undefined;
    return (await this.db.query<AlertWebhook>(`SELECT ${WEBHOOK} FROM alert_webhooks WHERE id = $1`, [id])).rows[0];
  }

  /** The enabled webhooks with their sealed secrets, for the sender. */
  async enabledWithSecrets(): Promise<Array<AlertWebhook & { secretSealed: string }>> {
    return (
      await this.db.query<AlertWebhook & { secretSealed: string }>(
        `SELECT ${WEBHOOK}, secret_sealed AS "secretSealed" FROM alert_webhooks WHERE enabled ORDER BY created_at, id`,
      )
    ).rows;
  }

  async sealedSecret(id: string): Promise<string | undefined> {
    if (!isUuid(id)) return undefined;
    return (await this.db.query<{ s: string }>(`SELECT secret_sealed AS s FROM alert_webhooks WHERE id = $1`, [id])).rows[0]?.s;
  }

  async create(input: { name: string; url: string; format: AlertWebhookFormat; secretSealed: string }): Promise<AlertWebhook> {
    const { rows } = await this.db.query<AlertWebhook>(
      `INSERT INTO alert_webhooks (name, url, format, secret_sealed) VALUES ($1, $2, $3, $4) RETURNING ${WEBHOOK}`,
      [input.name, input.url, input.format, input.secretSealed],
    );
    return rows[0];
  }

  async update(id: string, patch: { name?: string; url?: string; format?: AlertWebhookFormat; enabled?: boolean }): Promise<AlertWebhook | undefined> {
    if (!isUuid(id)) return undefined;
    const { rows } = await this.db.query<AlertWebhook>(
      `UPDATE alert_webhooks SET name = COALESCE($2, name), url = COALESCE($3, url), format = COALESCE($4, format), enabled = COALESCE($5, enabled)
       WHERE id = $1 RETURNING ${WEBHOOK}`,
      [id, patch.name ?? null, patch.url ?? null, patch.format ?? null, patch.enabled ?? null],
    );
    return rows[0];
  }

  async delete(id: string): Promise<boolean> {
    if (!isUuid(id)) return false;
    return ((await this.db.query(`DELETE FROM alert_webhooks WHERE id = $1`, [id])).rowCount ?? 0) > 0;
  }

  /** Records one send and drops the webhook's sends beyond the newest {@link SENDS_KEPT}. */
  async recordSend(send: Omit<AlertWebhookSend, 'id' | 'sentAt'>): Promise<AlertWebhookSend> {
    const { rows } = await this.db.query<AlertWebhookSend>(
      `INSERT INTO alert_webhook_sends (webhook_id, event, kind, subject_id, status, status_code, error) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${SEND}`,
      [send.webhookId, send.event, send.kind, send.subjectId, send.status, send.statusCode, send.error],
    );
    await this.db.query(
      `DELETE FROM alert_webhook_sends WHERE webhook_id = $1 AND id < (SELECT min(id) FROM (SELECT id FROM alert_webhook_sends WHERE webhook_id = $1 ORDER BY id DESC LIMIT ${SENDS_KEPT}) kept)`,
      [send.webhookId],
    );
    return rows[0];
  }

  async sends(webhookId: string, limit = 50): Promise<AlertWebhookSend[]> {
    if (!isUuid(webhookId)) return [];
    return (
      await this.db.query<AlertWebhookSend>(`SELECT ${SEND} FROM alert_webhook_sends WHERE webhook_id = $1 ORDER BY id DESC LIMIT $2`, [webhookId, limit])
    ).rows;
  }

  /**
   * Brings the alert states in line with the alerts open now and returns what changed: each alert
   * that opened (was not open) and each that resolved (is no longer among `current`). Each change
   * is made by one conditional statement, so with several trackers checking at once each change is
   * returned to one of them only. An opening is to be sent unless the same alert was sent within
   * `cooldownMs`; a resolution only when its opening was sent.
   */
  async reconcile(current: readonly AlertSubject[], cooldownMs: number): Promise<AlertChange[]> {
    const changes: AlertChange[] = [];
    for (const alert of current) {
      const { rows } = await this.db.query<{ send: boolean }>(
        `INSERT INTO alert_states AS s (kind, subject_id, subject_name, message, open, started_at, notified, last_sent_at)
         VALUES ($1, $2, $3, $4, true, now(), true, now())
         ON CONFLICT (kind, subject_id) DO UPDATE SET open = true, started_at = now(), resolved_at = NULL, subject_name = excluded.subject_name, message = excluded.message,
           notified = (s.last_sent_at IS NULL OR s.last_sent_at <= now() - $5::int * interval '1 millisecond'),
           last_sent_at = CASE WHEN s.last_sent_at IS NULL OR s.last_sent_at <= now() - $5::int * interval '1 millisecond' THEN now() ELSE s.last_sent_at END
         WHERE NOT s.open
         RETURNING s.notified AS send`,
        [alert.kind, alert.subjectId, alert.subjectName, alert.message, cooldownMs],
      );
      if (rows[0]) changes.push({ ...alert, event: 'fired', send: rows[0].send });
    }
    const { rows: resolved } = await this.db.query<AlertSubject & { send: boolean }>(
      `UPDATE alert_states s SET open = false, resolved_at = now(), last_sent_at = CASE WHEN s.notified THEN now() ELSE s.last_sent_at END
       WHERE s.open AND NOT EXISTS (SELECT 1 FROM unnest($1::text[], $2::text[]) AS c(kind, subject_id) WHERE c.kind = s.kind AND c.subject_id = s.subject_id)
       RETURNING s.kind, s.subject_id AS "subjectId", s.subject_name AS "subjectName", s.message, s.notified AS send`,
      [current.map((a) => a.kind), current.map((a) => a.subjectId)],
    );
    for (const r of resolved)
      changes.push({ kind: r.kind, subjectId: r.subjectId, subjectName: r.subjectName, message: r.message, event: 'resolved', send: r.send });
    return changes;
  }
}
