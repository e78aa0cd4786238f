import {
  DEFAULT_SOURCE_HEALTH_THRESHOLDS,
  SOURCE_HEALTH_WINDOW_MINUTES,
  sourceFailingReason,
  type ClaimedDelivery,
  type ClaimResult,
  type DeliveryStatus,
  type DeliveryValues,
  type RenderedDelivery,
  type SourceHealthThresholds,
} from '@postwire/core';
import { emptyPage, type Page, type PageRequest } from '@postwire/core';
import type { SqlExecutor } from '../client/sql-client';
import { isUuid } from './ids';
import { pagedQuery, whereBuilder } from './paged-query';

export interface Delivery {
  id: string;
  /** Null only for a test delivery sent from a traffic source's page (no conversion behind it). */
  conversionId: string | null;
  trafficSourceId: string;
  revision: number;
  event: string;
  method: 'GET' | 'POST';
  url: string;
  body: string | null;
  /** Content type and the source's extra headers, as rendered when the delivery was written (or last re-sent). */
  headers: Record<string, string>;
  status: DeliveryStatus;
  attempts: number;
  /** Attempts since the delivery was written or last re-sent by an admin; the retry schedule counts these. */
  roundAttempts: number;
  nextAttemptAt: Date;
  lastStatusCode: number | null;
  lastError: string | null;
  createdAt: Date;
  deliveredAt: Date | null;
  /** A test: sent from a traffic source's page, or owed for a test conversion. */
  isTest: boolean;
  /** The target plugin that built it (null: the postback URL) and the platform event it sent. */
  targetId: string | null;
  targetEvent: string | null;
  /** The platform refused the credentials: the operator must act (docs/forwarding.md#targets). */
  alert: boolean;
}

/** A test delivery sent from a traffic source's page, with the one attempt it made, for the delivery log. */
export interface TestDeliveryRecord {
  id: string;
  trafficSourceId: string;
  method: 'GET' | 'POST';
  /** As sent (the delivery log masks it when shown); the attempt's own URL is stored masked. */
  url: string;
  body: string | null;
  headers: Record<string, string>;
  macroValues: Record<string, unknown>;
  attempt: AttemptInput;
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

type AttemptInput = {
  url: string;
  statusCode: number | null;
  latencyMs: number;
  responseSnippet: string | null;
  error: string | null;
  /** A target plugin's delivery: what it built, and whether its refusal needs the operator (see DeliveryStore). */
  target?: { id: string; event: string | null; request: { method: 'GET' | 'POST'; url: string; body: string | null } | null; alert: boolean };
};
type AttemptNext = { status: 'delivered' } | { status: 'pending'; nextAttemptAt: Date } | { status: 'dead' } | { status: 'not_sent' };

const DELIVERY_COLUMNS = `id, conversion_id AS "conversionId", traffic_source_id AS "trafficSourceId", revision, event, method, url, body, headers, status,
  attempts, round_attempts AS "roundAttempts", next_attempt_at AS "nextAttemptAt", last_status_code AS "lastStatusCode", last_error AS "lastError",
  created_at AS "createdAt", delivered_at AS "deliveredAt", is_test AS "isTest", target_id AS "targetId", target_event AS "targetEvent", alert`;

/** SQL: the network of delivery `d`'s conversion is paused. */
const NETWORK_PAUSED = `EXISTS (SELECT 1 FROM conversions c JOIN networks n ON n.id = c.network_id WHERE c.id = d.conversion_id AND n.paused_at IS NOT NULL)`;

/**
 * SQL: delivery `d` waits for a resume: its traffic source or its conversion's network is paused. Such a
 * delivery stays pending and keeps its place (its retry round is not used up); the sweeper leaves it alone
 * until the resume, after which it is overdue and goes out with the next pass (or at once: see `resumeHeld`).
 */
const HELD = `(EXISTS (SELECT 1 FROM traffic_sources ts WHERE ts.id = d.traffic_source_id AND ts.paused_at IS NOT NULL) OR ${NETWORK_PAUSED})`;

/** The delivery log's filters, each optional; `from`/`to` bound `created_at`: [from, to). */
export interface DeliveryListFilter {
  status?: DeliveryStatus;
  trafficSourceId?: string;
  conversionId?: string;
  /** Deliveries of the conversions of this click. */
  clickId?: string;
  /** Deliveries of the conversions of this campaign, or of this network. */
  campaignId?: string;
  networkId?: string;
  /** A client's grant: only deliveries of conversions in these campaigns; an empty list matches nothing. */
  campaignIds?: readonly string[];
  /** true: only tests, false: none; undefined: both. */
  test?: boolean;
  from?: Date;
  to?: Date;
}

/** The delivery log's WHERE, or null when it can match nothing (an id that is no uuid never reaches PostgreSQL as a cast error). */
function deliveryListWhere(filter: DeliveryListFilter) {
  const ids = [filter.trafficSourceId, filter.conversionId, filter.campaignId, filter.networkId];
  if (ids.some((id) => id !== undefined && !isUuid(id))) return null;
  if (filter.campaignIds && !filter.campaignIds.some(isUuid)) return null;
  const w = whereBuilder();
  if (filter.status) w.add('status = ?', filter.status);
  if (filter.trafficSourceId) w.add('traffic_source_id = ?', filter.trafficSourceId);
  if (filter.conversionId) w.add('conversion_id = ?', filter.conversionId);
  if (filter.clickId) w.add('conversion_id IN (SELECT id FROM conversions WHERE click_id = ?)', filter.clickId);
  if (filter.campaignId) w.add('conversion_id IN (SELECT id FROM conversions WHERE campaign_id = ?)', filter.campaignId);
  if (filter.networkId) w.add('conversion_id IN (SELECT id FROM conversions WHERE network_id = ?)', filter.networkId);
  if (filter.campaignIds) w.add('conversion_id IN (SELECT id FROM conversions WHERE campaign_id = ANY(?::uuid[]))', filter.campaignIds.filter(isUuid));
  if (filter.test !== undefined) w.add('is_test = ?', filter.test);
  if (filter.from) w.add('created_at >= ?', filter.from);
  if (filter.to) w.add('created_at < ?', filter.to);
  return w;
}

/** The outbox of postbacks owed to traffic sources, and the log of every attempt to send them. */
export class DeliveryRepository {
  constructor(private readonly db: SqlExecutor) {}

  async get(id: string): Promise<Delivery | undefined> {
    if (!isUuid(id)) return undefined;
    return (await this.db.query<Delivery>(`SELECT ${DELIVERY_COLUMNS} FROM deliveries WHERE id = $1`, [id])).rows[0];
  }

  /** The first `limit` deliveries of the list (newest first), e.g. a conversion's in its trace. */
  async list(filter: DeliveryListFilter & { limit?: number }): Promise<Delivery[]> {
    return this.listAfter(filter, undefined, filter.limit ?? 100);
  }

  /** One page of the delivery log, newest first, with the (capped) total of the matching ones. */
  async page(filter: DeliveryListFilter, page: PageRequest): Promise<Page<Delivery>> {
    const w = deliveryListWhere(filter);
    if (!w) return emptyPage(page);
    return pagedQuery<Delivery>(
      this.db,
      { columns: DELIVERY_COLUMNS, from: 'deliveries', where: w.where, params: w.params, orderBy: 'created_at DESC, id DESC' },
      page,
    );
  }

  /** `limit` deliveries of the list after `cursor` (newest first): the keyset walk of its CSV export. */
  async listAfter(filter: DeliveryListFilter, cursor: { at: Date; id: string } | undefined, limit: number): Promise<Delivery[]> {
    const w = deliveryListWhere(filter);
    if (!w) return [];
    if (cursor) w.add('(created_at, id) < (?::timestamptz, ?::uuid)', cursor.at, cursor.id);
    const sql = `SELECT ${DELIVERY_COLUMNS} FROM deliveries ${w.where.length ? 'WHERE ' + w.where.join(' AND ') : ''}
                 ORDER BY created_at DESC, id DESC LIMIT $${w.params.push(limit)}`;
    return (await this.db.query<Delivery>(sql, w.params)).rows;
  }

  /** Logs a test delivery already sent (from a traffic source's page) and its attempt, so the delivery log shows it, marked test. */
  async recordTest(d: TestDeliveryRecord): Promise<void> {
    const ok = d.attempt.statusCode !== null && d.attempt.statusCode >= 200 && d.attempt.statusCode < 300;
    await this.db.query(
      `WITH delivery AS (
         INSERT INTO deliveries (id, conversion_id, traffic_source_id, revision, event, method, url, body, headers, macro_values, status, attempts, round_attempts,
                                 last_status_code, last_error, delivered_at, is_test)
         VALUES ($1, NULL, $2, 1, 'test', $3, $4, $5, $6::jsonb, $7::jsonb, $8, 1, 1, $9, $10, CASE WHEN $8 = 'delivered' THEN now() END, true)
         RETURNING id)
       INSERT INTO delivery_attempts (delivery_id, url, status_code, latency_ms, response_snippet, error)
       SELECT id, $13, $9, $11, $12, $10 FROM delivery`,
      [
        d.id,
        d.trafficSourceId,
        d.method,
        d.url,
        d.body,
        JSON.stringify(d.headers),
        JSON.stringify(d.macroValues),
        ok ? 'delivered' : 'dead',
        d.attempt.statusCode,
        d.attempt.error,
        Math.round(d.attempt.latencyMs),
        d.attempt.responseSnippet,
        d.attempt.url,
      ],
    );
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
      `SELECT id, next_attempt_at AS "nextAttemptAt" FROM deliveries d
       WHERE status = 'pending' AND next_attempt_at <= $1 AND NOT ${HELD}
       ORDER BY next_attempt_at LIMIT $2`,
      [new Date(now.getTime() - graceMs), limit],
    );
    return rows;
  }

  /**
   * Claims a pending delivery for one send: no other worker can claim it until the send's deadline
   * (plus `marginMs`) has passed, so two jobs for one delivery — a lock BullMQ thought stalled, a
   * job re-added after Redis lost the first — never send it at the same time. Returns what the
   * send needs, or why there is nothing to send now.
   */
  async claim(id: string, defaultTimeoutMs: number, marginMs: number): Promise<ClaimResult> {
    return (await this.claimMany([id], defaultTimeoutMs, marginMs))[0];
  }

  /**
   * {@link claim} for several deliveries in one statement (plus one more for those not claimed):
   * the result at index i answers `ids[i]`. An id given twice is claimed once, for its first
   * occurrence; the others are `busy`, as a second worker's claim would be.
   *
   * The claim commits without waiting for its WAL flush (`synchronous_commit = off` for this one
   * statement): it is visible to every other claim the moment it commits, which is what keeps two
   * senders apart, and it is a lease, not a record. Only a database crash within the WAL writer's
   * next few hundred ms can lose it, and that crash already makes the delivery go out again (its
   * attempt log is lost with the connection). The attempt log itself stays a synchronous commit.
   * Saves a disk flush on the way to every send, a few ms per delivery on a busy disk.
   */
  async claimMany(ids: readonly string[], defaultTimeoutMs: number, marginMs: number): Promise<ClaimResult[]> {
    const wanted = [...new Set(ids.filter(isUuid))];
    const claimed = new Map<string, ClaimedDelivery>();
    if (wanted.length > 0) {
      const { rows } = await this.db.query<Record<string, unknown>>(
        `WITH lease AS (SELECT set_config('synchronous_commit', 'off', true) AS flush), c AS (
           UPDATE deliveries d SET locked_until = now() + (COALESCE(ts.timeout_ms, $2::int) + $3::int) * interval '1 millisecond'
           FROM traffic_sources ts, lease
           WHERE d.id = ANY($1::uuid[]) AND ts.id = d.traffic_source_id AND d.status = 'pending' AND (d.locked_until IS NULL OR d.locked_until <= now())
             AND ts.paused_at IS NULL AND NOT ${NETWORK_PAUSED}
           RETURNING d.id, d.traffic_source_id, d.method, d.url, d.body, d.headers, d.attempts, d.round_attempts,
                     ts.enabled, ts.timeout_ms, ts.target_id, COALESCE(d.retry_schedule_ms, ts.retry_schedule_ms) AS retry_schedule_ms
         )
         SELECT c.*, ARRAY(SELECT s.sealed FROM traffic_source_secrets s
                           WHERE s.traffic_source_id = c.traffic_source_id AND s.revoked_at IS NULL ORDER BY s.created_at, s.id) AS secrets
         FROM c`,
        [wanted, defaultTimeoutMs, marginMs],
      );
      for (const r of rows) {
        claimed.set(r.id as string, {
          id: r.id as string,
          trafficSourceId: r.traffic_source_id as string,
          method: r.method as 'GET' | 'POST',
          url: r.url as string,
          body: r.body as string | null,
          headers: (r.headers as Record<string, string> | null) ?? {},
          attempts: r.attempts as number,
          roundAttempts: r.round_attempts as number,
          sourceEnabled: r.enabled as boolean,
          timeoutMs: r.timeout_ms as number | null,
          retryScheduleMs: r.retry_schedule_ms as number[] | null,
          sealedSecrets: (r.secrets as string[] | null) ?? [],
          targetId: r.target_id as string,
        });
      }
    }
    const others = wanted.filter((id) => !claimed.has(id));
    const current = new Map<string, { status: DeliveryStatus; wait: number | null; held: string | null }>();
    if (others.length > 0) {
      const { rows } = await this.db.query<{ id: string; status: DeliveryStatus; wait: number | null; held: string | null }>(
        `SELECT d.id, d.status, CASE WHEN d.locked_until > now() THEN ceil(extract(epoch FROM d.locked_until - now()) * 1000)::int END AS wait,
                CASE WHEN ts.paused_at IS NOT NULL THEN 'traffic source is paused' WHEN ${NETWORK_PAUSED} THEN 'network is paused' END AS held
         FROM deliveries d JOIN traffic_sources ts ON ts.id = d.traffic_source_id WHERE d.id = ANY($1::uuid[])`,
        [others],
      );
      for (const r of rows) current.set(r.id, r);
    }
    const handedOut = new Set<string>();
    return ids.map((id): ClaimResult => {
      const delivery = claimed.get(id);
      if (delivery) {
        if (handedOut.has(id)) return { kind: 'busy', retryInMs: (delivery.timeoutMs ?? defaultTimeoutMs) + marginMs };
        handedOut.add(id);
        return { kind: 'claimed', delivery };
      }
      const now = current.get(id);
      if (!now) return { kind: 'missing' };
      if (now.status !== 'pending') return { kind: 'settled', status: now.status };
      if (now.held !== null && now.wait === null) return { kind: 'held', reason: now.held };
      return { kind: 'busy', retryInMs: Math.max(now.wait ?? 0, 50) };
    });
  }

  /**
   * Records one attempt and its consequence for the delivery, releases the claim, and keeps the
   * source's health aggregates (docs/forwarding.md#source-health): `failing_since` and the run of
   * failures move on a failure or on the first success after failures — a healthy source's row is
   * not rewritten by every attempt — and the attempt counts in its minute. One statement.
   */
  async recordAttempt(id: string, attempt: AttemptInput, next: AttemptNext): Promise<void> {
    await this.recordAttempts([{ id, attempt, next }]);
  }

  /**
   * {@link recordAttempt} for several deliveries in one statement. Where a batch holds several
   * attempts for one traffic source, the last one decides its `failing_since`, as it would have
   * one after the other.
   */
  async recordAttempts(items: ReadonlyArray<{ id: string; attempt: AttemptInput; next: AttemptNext }>): Promise<void> {
    if (items.length === 0) return;
    await this.db.query(
      `WITH v AS (
         SELECT * FROM unnest($1::uuid[], $2::text[], $3::int[], $4::int[], $5::text[], $6::text[], $7::text[], $8::text[],
                              $9::text[], $10::text[], $11::boolean[], $12::text[], $13::text[], $14::text[])
                WITH ORDINALITY AS v(id, url, status_code, latency_ms, snippet, error, status, next_at, target_id, target_event, alert, req_method, req_url, req_body, n)
       ), a AS (
         INSERT INTO delivery_attempts (delivery_id, url, status_code, latency_ms, response_snippet, error)
         SELECT id, url, status_code, latency_ms, snippet, error FROM v ORDER BY n
       ), d AS (
         UPDATE deliveries SET attempts = attempts + 1, round_attempts = round_attempts + 1, status = v.status, last_status_code = v.status_code, last_error = v.error,
                next_attempt_at = COALESCE(v.next_at::timestamptz, next_attempt_at), locked_until = NULL,
                delivered_at = CASE WHEN v.status = 'delivered' THEN now() ELSE delivered_at END,
                -- A target plugin's delivery keeps what it built (PII already hashed; credentials are in headers, not kept).
                target_id = COALESCE(v.target_id, deliveries.target_id), target_event = COALESCE(v.target_event, deliveries.target_event),
                alert = COALESCE(v.alert, deliveries.alert),
                method = COALESCE(v.req_method, deliveries.method), url = COALESCE(v.req_url, deliveries.url),
                body = CASE WHEN v.req_method IS NULL THEN deliveries.body ELSE v.req_body END
         FROM v WHERE deliveries.id = v.id
         RETURNING deliveries.traffic_source_id, v.n, v.status, (v.status_code BETWEEN 200 AND 299 OR v.status = 'delivered') AS ok
       ), per_source AS (
         -- failures: all of the batch's failures for the source; run: those after its last success in the batch (all when none succeeded).
         SELECT traffic_source_id, count(*)::int AS attempts, count(*) FILTER (WHERE NOT COALESCE(ok, false))::int AS failures,
                count(*) FILTER (WHERE NOT COALESCE(ok, false) AND n > COALESCE((SELECT max(d2.n) FROM d d2 WHERE d2.traffic_source_id = d.traffic_source_id AND d2.ok), 0))::int AS run,
                bool_or(COALESCE(ok, false)) AS any_ok
         -- "Not sent" (a target had nothing to send) says nothing of the source's health.
         FROM d WHERE status <> 'not_sent' GROUP BY traffic_source_id
       ), minutes AS (
         INSERT INTO traffic_source_attempt_minutes AS m (traffic_source_id, minute, attempts, failures)
         SELECT traffic_source_id, date_trunc('minute', now()), attempts, failures FROM per_source
         ON CONFLICT (traffic_source_id, minute) DO UPDATE SET attempts = m.attempts + excluded.attempts, failures = m.failures + excluded.failures
       ), pruned AS (
         DELETE FROM traffic_source_attempt_minutes WHERE traffic_source_id IN (SELECT traffic_source_id FROM per_source) AND minute < now() - interval '1 hour'
       )
       UPDATE traffic_sources ts SET
         consecutive_failures = CASE WHEN p.any_ok THEN p.run ELSE ts.consecutive_failures + p.run END,
         failing_since = CASE WHEN p.run = 0 THEN NULL ELSE COALESCE(CASE WHEN p.any_ok THEN NULL ELSE ts.failing_since END, now()) END
       FROM per_source p
       WHERE ts.id = p.traffic_source_id AND (p.run > 0 OR ts.consecutive_failures > 0 OR ts.failing_since IS NOT NULL)`,
      [
        items.map((i) => i.id),
        items.map((i) => i.attempt.url),
        items.map((i) => i.attempt.statusCode),
        items.map((i) => i.attempt.latencyMs),
        items.map((i) => i.attempt.responseSnippet),
        items.map((i) => i.attempt.error),
        items.map((i) => i.next.status),
        items.map((i) => (i.next.status === 'pending' ? i.next.nextAttemptAt.toISOString() : null)),
        items.map((i) => i.attempt.target?.id ?? null),
        items.map((i) => i.attempt.target?.event ?? null),
        items.map((i) => (i.attempt.target ? i.attempt.target.alert : null)),
        items.map((i) => i.attempt.target?.request?.method ?? null),
        items.map((i) => i.attempt.target?.request?.url ?? null),
        items.map((i) => i.attempt.target?.request?.body ?? null),
      ],
    );
  }

  /**
   * The pending deliveries of a traffic source or of a network's conversions that nothing holds any more
   * (called on its resume, to put them back in line at once rather than at the sweeper's next pass).
   */
  async releasedBy(owner: { trafficSourceId: string } | { networkId: string }, limit = 10_000): Promise<string[]> {
    const byNetwork = 'networkId' in owner;
    const id = byNetwork ? owner.networkId : owner.trafficSourceId;
    if (!isUuid(id)) return [];
    const { rows } = await this.db.query<{ id: string }>(
      `SELECT d.id FROM deliveries d
       WHERE d.status = 'pending' AND ${byNetwork ? 'd.conversion_id IN (SELECT id FROM conversions WHERE network_id = $1)' : 'd.traffic_source_id = $1'}
         AND NOT ${HELD}
       ORDER BY d.next_attempt_at LIMIT $2`,
      [id, limit],
    );
    return rows.map((r) => r.id);
  }

  /** Ends a pending delivery without sending it (its source was disabled); it stays in the log and can be replayed. */
  async markDead(id: string, reason: string): Promise<void> {
    await this.db.query(`UPDATE deliveries SET status = 'dead', last_error = $2, locked_until = NULL WHERE id = $1 AND status = 'pending'`, [id, reason]);
  }

  /**
   * Deliveries an admin asked to send again: by id, or a traffic source's deliveries created in
   * `[from, to)` (optionally of one status), oldest first.
   */
  async findForResend(
    filter: { ids: readonly string[] } | { trafficSourceId: string; from: Date; to: Date; status?: DeliveryStatus },
    limit: number,
  ): Promise<ResendCandidate[]> {
    const select = `SELECT id, traffic_source_id AS "trafficSourceId", status, macro_values AS "macroValues" FROM deliveries`;
    if ('ids' in filter) {
      const ids = filter.ids.filter(isUuid);
      if (ids.length === 0) return [];
      return (await this.db.query<ResendCandidate>(`${select} WHERE id = ANY($1::uuid[]) ORDER BY created_at, id LIMIT $2`, [ids, limit])).rows;
    }
    if (!isUuid(filter.trafficSourceId)) return [];
    const { rows } = await this.db.query<ResendCandidate>(
      // A test sent from the source's page (no conversion) is not replayed with the real ones.
      `${select} WHERE traffic_source_id = $1 AND created_at >= $2 AND created_at < $3 AND ($4::text IS NULL OR status = $4) AND conversion_id IS NOT NULL
       ORDER BY created_at, id LIMIT $5`,
      [filter.trafficSourceId, filter.from, filter.to, filter.status ?? null, limit],
    );
    return rows;
  }

  /**
   * Puts deliveries back in line as a new round: pending, due now, the retry schedule counting
   * from zero again, and — where a new rendering is given — the request replaced by it. The id
   * (Idempotency-Key, webhook-id) stays, so a receiver that already has the event can tell.
   */
  async resend(items: ReadonlyArray<{ id: string; rendered: RenderedDelivery | null }>): Promise<string[]> {
    if (items.length === 0) return [];
    const { rows } = await this.db.query<{ id: string }>(
      `UPDATE deliveries d SET status = 'pending', next_attempt_at = now(), round_attempts = 0,
              method = CASE WHEN v.rendered THEN v.method ELSE d.method END,
              url = CASE WHEN v.rendered THEN v.url ELSE d.url END,
              body = CASE WHEN v.rendered THEN v.body ELSE d.body END,
              headers = CASE WHEN v.rendered THEN v.headers::jsonb ELSE d.headers END
       FROM unnest($1::uuid[], $2::boolean[], $3::text[], $4::text[], $5::text[], $6::text[]) AS v(id, rendered, method, url, body, headers)
       WHERE d.id = v.id
       RETURNING d.id`,
      [
        items.map((i) => i.id),
        items.map((i) => i.rendered !== null),
        items.map((i) => i.rendered?.method ?? null),
        items.map((i) => i.rendered?.url ?? null),
        items.map((i) => i.rendered?.body ?? null),
        items.map((i) => (i.rendered ? JSON.stringify(i.rendered.headers) : null)),
      ],
    );
    return rows.map((r) => r.id);
  }

  /** What the metrics report from the outbox: pending deliveries, dead ones per source, and the sources failing by `thresholds`. */
  async metricsSnapshot(
    thresholds: SourceHealthThresholds = DEFAULT_SOURCE_HEALTH_THRESHOLDS,
  ): Promise<{ pending: number; deadBySource: Array<{ trafficSourceId: string; dead: number }>; failingSources: string[] }> {
    const [pending, dead, health] = await Promise.all([
      this.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM deliveries WHERE status = 'pending'`),
      this.db.query<{ trafficSourceId: string; dead: number }>(
        `SELECT traffic_source_id AS "trafficSourceId", count(*)::int AS dead FROM deliveries WHERE status = 'dead' AND NOT is_test GROUP BY traffic_source_id`,
      ),
      this.db.query<{ id: string; consecutiveFailures: number; recentAttempts: number; recentFailures: number }>(
        `SELECT ts.id, ts.consecutive_failures AS "consecutiveFailures", COALESCE(sum(m.attempts), 0)::int AS "recentAttempts", COALESCE(sum(m.failures), 0)::int AS "recentFailures"
         FROM traffic_sources ts JOIN traffic_source_attempt_minutes m ON m.traffic_source_id = ts.id AND m.minute > now() - interval '${SOURCE_HEALTH_WINDOW_MINUTES} minutes'
         GROUP BY ts.id
         UNION ALL
         SELECT ts.id, ts.consecutive_failures, 0, 0 FROM traffic_sources ts
         WHERE ts.consecutive_failures > 0 AND NOT EXISTS (SELECT 1 FROM traffic_source_attempt_minutes m WHERE m.traffic_source_id = ts.id AND m.minute > now() - interval '${SOURCE_HEALTH_WINDOW_MINUTES} minutes')`,
      ),
    ]);
    const failingSources = health.rows.filter((r) => sourceFailingReason(r, thresholds) !== null).map((r) => r.id);
    return { pending: pending.rows[0].n, deadBySource: dead.rows, failingSources };
  }
}

export interface ResendCandidate {
  id: string;
  trafficSourceId: string;
  status: DeliveryStatus;
  /** Null for deliveries written before the values were kept: those are re-sent as they were. */
  macroValues: DeliveryValues | null;
}
