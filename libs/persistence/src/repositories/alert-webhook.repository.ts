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
  /** 1 for the first try of a message, then 2, 3… for its retries. */
  attempt: number;
  /** When the next try of this failed message is due; null when none is. */
  retryAt: Date | null;
}

/** What a send repeats on a retry: the message as it was first sent, with its `webhook-id`. */
export interface AlertSendMessage {
  messageId: string;
  event: AlertEvent;
  kind: string;
  subjectId: string;
  subjectName: string;
  message: string;
  at: Date;
}

/** A failed send whose retry is due, taken by one tracker; `superseded` when a newer message about the same alert went to the webhook since. */
export interface DueAlertRetry extends AlertSendMessage {
  webhookId: string;
  attempt: number;
  superseded: boolean;
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
const SEND = `id::int AS id, webhook_id AS "webhookId", event, kind, subject_id AS "subjectId", status, status_code AS "statusCode", error, sent_at AS "sentAt",
  attempt, retry_at AS "retryAt"`;

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
  async recordSend(
    send: Omit<AlertWebhookSend, 'id' | 'sentAt'> & { messageId: string; subjectName: string; message: string; at: Date },
  ): Promise<AlertWebhookSend> {
    const { rows } = await this.db.query<AlertWebhookSend>(
      `INSERT INTO alert_webhook_sends (webhook_id, event, kind, subject_id, status, status_code, error, subject_name, message, occurred_at, attempt, retry_at, message_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING ${SEND}`,
      [
        send.webhookId,
        send.event,
        send.kind,
        send.subjectId,
        send.status,
        send.statusCode,
        send.error,
        send.subjectName,
        send.message,
        send.at,
        send.attempt,
        send.retryAt,
        send.messageId,
      ],
    );
    await this.db.query(
      `DELETE FROM alert_webhook_sends WHERE webhook_id = $1 AND id < (SELECT min(id) FROM (SELECT id FROM alert_webhook_sends WHERE webhook_id = $1 ORDER BY id DESC LIMIT ${SENDS_KEPT}) kept)`,
      [send.webhookId],
    );
    return rows[0];
  }

  /**
   * Takes up to `limit` failed sends whose retry is due: each is taken by one tracker only (its `retry_at` cleared in
   * the same statement, rows another tracker holds skipped). A send is superseded when a newer message about the
   * same alert went to the same webhook since (a resolution after a failed start): that one is not repeated.
   */
  async takeDueRetries(now: Date, limit = 50): Promise<DueAlertRetry[]> {
    return (
      await this.db.query<DueAlertRetry>(
        `UPDATE alert_webhook_sends s SET retry_at = NULL
         FROM (SELECT id FROM alert_webhook_sends WHERE retry_at <= $1 ORDER BY retry_at, id LIMIT $2 FOR UPDATE SKIP LOCKED) due
         WHERE s.id = due.id
         RETURNING s.webhook_id AS "webhookId", coalesce(s.message_id, 'msg_retry_' || s.id) AS "messageId", s.event, s.kind, s.subject_id AS "subjectId", coalesce(s.subject_name, s.subject_id) AS "subjectName",
           coalesce(s.message, '') AS message, coalesce(s.occurred_at, s.sent_at) AS at, s.attempt,
           EXISTS (SELECT 1 FROM alert_webhook_sends n WHERE n.webhook_id = s.webhook_id AND n.kind = s.kind AND n.subject_id = s.subject_id
                   AND n.id > s.id AND n.event <> 'test') AS superseded`,
        [now, limit],
      )
    ).rows;
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
