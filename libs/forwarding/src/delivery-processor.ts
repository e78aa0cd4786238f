import type { ClaimedDelivery, ClaimResult } from '@postwire/core';
import { signWebhook } from '@postwire/security';
import type { AttemptConsequence, AttemptRecord, DeliveryStore } from './delivery-store';
import type { HttpSender, SendResult } from './http-sender';
import { nextStep } from './retry-policy';
import { maskUrl } from './secret-mask';
import { TARGET_ANSWER_BYTES, type PreparedTargetDelivery, type TargetDeliveries, type TargetVerdictRead } from './target-delivery';
import { GroupCommit } from '@postwire/core';

export type ProcessResult =
  | { kind: 'skipped'; reason: string }
  | { kind: 'delivered' }
  | { kind: 'retry'; delayMs: number }
  | { kind: 'dead'; reason: string }
  | { kind: 'not_sent'; reason: string };

/** What happened to one attempt, for metrics. */
export interface AttemptObservation {
  outcome: 'delivered' | 'retry' | 'dead';
  statusCode: number | null;
  latencyMs: number;
}

export interface DeliveryProcessorOptions {
  /** FORWARD_RETRY_SCHEDULE, for sources without their own schedule. */
  scheduleMs: readonly number[];
  /** FORWARD_TIMEOUT_MS, for sources without their own timeout. */
  timeoutMs: number;
  /** Opens a signing secret sealed at rest (SecretBox). */
  openSecret: (sealed: string) => string;
  /** Builds and reads the deliveries of sources that use a target plugin; without it every delivery is its stored request. */
  targets?: TargetDeliveries;
  onAttempt?: (observation: AttemptObservation) => void;
  now?: () => Date;
  /**
   * True for an error that means the store is away for now (the database restarting). An attempt
   * already sent is then logged again and again until it is stored, instead of being given up: given
   * up, its claim would run out and the delivery be sent a second time. Default: no error is.
   */
  isStoreUnavailable?: (error: unknown) => boolean;
  /**
   * Told each time a sent attempt could not be logged because the store is away (see `isStoreUnavailable`):
   * the worker stops taking new jobs until the store answers, as it does when a claim finds it away.
   */
  onStoreUnavailable?: (error: unknown) => void;
  /** Waits between tries to log a sent attempt while the store is away (default 250 ms doubling to 2 s). */
  storeRetryDelaysMs?: { first: number; max: number };
  /**
   * Most deliveries claimed, or attempts logged, by one statement (default 100). Deliveries due
   * at the same moment share those statements; a lone one waits for no one.
   */
  maxBatch?: number;
}

/** Claim and attempt-log statements running at once per processor: enough to overlap, few enough to leave the pool to the sweeper. */
const MAX_BATCHES_IN_FLIGHT = 2;

/**
 * How long a claim outlives the send's own deadline: time to write the attempt afterwards. A
 * worker that dies mid-send holds the delivery at most this much longer than the deadline.
 */
export const CLAIM_MARGIN_MS = 2000;

const USER_AGENT = 'Postwire/0.1 (+postback forwarding)';

/** The built-in target: the source's URL template, already rendered into the stored request. */
const POSTBACK_URL_TARGET = 'postback-url';

/**
 * One attempt at one delivery: claim it in the outbox, send it, log the attempt and decide what
 * comes next. The queue only says *when*; Postgres says *what* and whether it is still owed, so a
 * job run twice (sweeper, crash, replay) never sends a delivery that already succeeded, and the
 * claim keeps two jobs from sending the same delivery at the same moment.
 *
 * Deliveries processed concurrently are claimed together (one UPDATE … WHERE id = ANY) and their
 * attempts logged together (one statement), so the database cost per delivery falls as more are
 * due at once; each delivery is still claimed in Postgres before it is sent, and answered only
 * after its attempt is committed.
 */
export class DeliveryProcessor {
  private readonly now: () => Date;
  private readonly claims: GroupCommit<string, ClaimResult>;
  private readonly attempts: GroupCommit<{ id: string; attempt: AttemptRecord; next: AttemptConsequence }, undefined>;

  constructor(
    private readonly deliveries: DeliveryStore,
    private readonly sender: HttpSender,
    private readonly options: DeliveryProcessorOptions,
  ) {
    this.now = options.now ?? (() => new Date());
    const batching = { maxBatch: options.maxBatch ?? 100, maxInFlight: MAX_BATCHES_IN_FLIGHT };
    this.claims = new GroupCommit((ids) => this.deliveries.claimMany(ids, this.options.timeoutMs, CLAIM_MARGIN_MS), batching);
    this.attempts = new GroupCommit(async (items) => {
      await this.deliveries.recordAttempts(items);
      return items.map(() => undefined);
    }, batching);
  }

  async process(deliveryId: string): Promise<ProcessResult> {
    const claim = await this.claims.add(deliveryId);
    if (claim.kind === 'missing') return { kind: 'skipped', reason: 'no such delivery' };
    if (claim.kind === 'settled') return { kind: 'skipped', reason: `already ${claim.status}` };
    if (claim.kind === 'busy') return { kind: 'retry', delayMs: claim.retryInMs };
    // The job ends here; the delivery stays pending, and the resume (or the sweeper after it) queues it again.
    if (claim.kind === 'held') return { kind: 'skipped', reason: `held: ${claim.reason}` };
    const delivery = claim.delivery;
    if (!delivery.sourceEnabled) {
      await this.deliveries.markDead(delivery.id, 'traffic source is disabled');
      return { kind: 'dead', reason: 'traffic source is disabled' };
    }
    if (delivery.targetId && delivery.targetId !== POSTBACK_URL_TARGET && this.options.targets) return this.processTarget(delivery, this.options.targets);
    const result = await this.send(delivery);
    const step = nextStep(result, delivery.roundAttempts + 1, delivery.retryScheduleMs ?? this.options.scheduleMs);
    const attempt = {
      url: maskUrl(delivery.url),
      statusCode: result.statusCode,
      latencyMs: result.latencyMs,
      responseSnippet: result.responseSnippet,
      error: step.status === 'dead' && result.error ? `${result.error}; ${step.reason}` : result.error,
    };
    if (step.status === 'pending') {
      await this.logSent({ id: delivery.id, attempt, next: { status: 'pending', nextAttemptAt: new Date(this.now().getTime() + step.delayMs) } });
      this.options.onAttempt?.({ outcome: 'retry', statusCode: result.statusCode, latencyMs: result.latencyMs });
      return { kind: 'retry', delayMs: step.delayMs };
    }
    await this.logSent({ id: delivery.id, attempt, next: { status: step.status } });
    this.options.onAttempt?.({ outcome: step.status, statusCode: result.statusCode, latencyMs: result.latencyMs });
    return step.status === 'dead' ? { kind: 'dead', reason: step.reason } : { kind: 'delivered' };
  }

  /**
   * A target plugin's delivery: built now from the stored conversion (the target's mapping, window and
   * identifiers may say "not sent"), sent, and judged by the target's reading of the answer: delivered,
   * retried (no sooner than the platform's Retry-After), or given up (with an alert when the operator must act).
   */
  private async processTarget(delivery: ClaimedDelivery, targets: TargetDeliveries): Promise<ProcessResult> {
    let prepared: PreparedTargetDelivery;
    try {
      prepared = await targets.prepare(delivery);
    } catch (error) {
      const reason = `the target could not build the request: ${(error as Error).message}`;
      return this.finishTarget(delivery, { targetId: delivery.targetId!, event: null, request: null }, null, { kind: 'retry', reason }, 0);
    }
    if (prepared.kind === 'not_sent') {
      await this.logSent({
        id: delivery.id,
        attempt: {
          url: '(not sent)',
          statusCode: null,
          latencyMs: 0,
          responseSnippet: null,
          error: `not sent: ${prepared.reason}`,
          target: { id: prepared.targetId, event: null, request: null, alert: false },
        },
        next: { status: 'not_sent' },
      });
      return { kind: 'not_sent', reason: prepared.reason };
    }
    // Nothing went out, but the attempt counts: recorded, then retried on the schedule or given up (with its alert).
    if (prepared.kind === 'failed') return this.finishTarget(delivery, { targetId: prepared.targetId, event: null, request: null }, null, prepared.verdict, 0);
    const { request } = prepared;
    const result = await this.sender.send({
      method: request.method,
      url: request.url,
      body: request.body,
      headers: { 'user-agent': USER_AGENT, ...request.headers },
      timeoutMs: delivery.timeoutMs ?? this.options.timeoutMs,
      maxAnswerBytes: TARGET_ANSWER_BYTES,
    });
    let verdict: TargetVerdictRead;
    try {
      verdict = prepared.read({
        statusCode: result.statusCode,
        headers: result.headers ?? {},
        body: result.answer ?? result.responseSnippet,
        error: result.error,
      });
    } catch (error) {
      // The request went out and may have been taken: sending it again could count the conversion twice on the
      // platform, so a plugin that cannot read the answer gives the delivery up, with an alert, instead of retrying.
      verdict = { kind: 'permanent', reason: `sent, but the target plugin could not read the answer (${(error as Error).message})`, alert: true };
    }
    if (result.permanent) verdict = { kind: 'permanent', reason: result.error ?? 'permanent failure' };
    return this.finishTarget(delivery, prepared, result, verdict, result.latencyMs);
  }

  private async finishTarget(
    delivery: ClaimedDelivery,
    prepared: { targetId: string; event: string | null; request: { method: 'GET' | 'POST'; url: string; body: string | null } | null },
    result: SendResult | null,
    verdict: TargetVerdictRead,
    latencyMs: number,
  ): Promise<ProcessResult> {
    const schedule = delivery.retryScheduleMs ?? this.options.scheduleMs;
    const attemptsMade = delivery.roundAttempts + 1;
    let next: AttemptConsequence;
    let error: string | null = null;
    let delayMs = 0;
    if (verdict.kind === 'delivered') next = { status: 'delivered' };
    else if (verdict.kind === 'permanent') {
      next = { status: 'dead' };
      error = verdict.reason;
    } else if (attemptsMade >= schedule.length) {
      next = { status: 'dead' };
      error = `${verdict.reason}; gave up after ${attemptsMade} attempts`;
    } else {
      // The schedule's wait (±10 % jitter), and never sooner than the platform's Retry-After.
      const planned = Math.round(schedule[attemptsMade] * (0.9 + Math.random() * 0.2));
      delayMs = Math.max(planned, verdict.afterMs ?? 0);
      next = { status: 'pending', nextAttemptAt: new Date(this.now().getTime() + delayMs) };
      error = verdict.reason;
    }
    const request = prepared.request ? { method: prepared.request.method, url: maskUrl(prepared.request.url), body: prepared.request.body } : null;
    await this.logSent({
      id: delivery.id,
      attempt: {
        url: request?.url ?? '(not built)',
        statusCode: result?.statusCode ?? null,
        latencyMs,
        responseSnippet: result?.responseSnippet ?? null,
        error,
        target: { id: prepared.targetId, event: prepared.event, request, alert: verdict.kind === 'permanent' && verdict.alert === true },
      },
      next,
    });
    const outcome = next.status === 'pending' ? 'retry' : next.status === 'delivered' ? 'delivered' : 'dead';
    this.options.onAttempt?.({ outcome, statusCode: result?.statusCode ?? null, latencyMs });
    if (next.status === 'pending') return { kind: 'retry', delayMs };
    return next.status === 'delivered' ? { kind: 'delivered' } : { kind: 'dead', reason: error ?? 'dead' };
  }

  /**
   * Logs an attempt that went out. While the store is away this keeps trying: the job stays active
   * in its worker (its queue lock is renewed) and no other job exists under its id, so nobody sends
   * the delivery again meanwhile, and the first log that lands is the only one.
   */
  private async logSent(item: { id: string; attempt: AttemptRecord; next: AttemptConsequence }): Promise<void> {
    const unavailable = this.options.isStoreUnavailable ?? (() => false);
    const delays = this.options.storeRetryDelaysMs ?? { first: 250, max: 2000 };
    for (let delay = delays.first; ; delay = Math.min(delay * 2, delays.max)) {
      try {
        await this.attempts.add(item);
        return;
      } catch (error) {
        if (!unavailable(error)) throw error;
        this.options.onStoreUnavailable?.(error);
        await new Promise((r) => setTimeout(r, delay));
      }
    }
  }

  private async send(delivery: ClaimedDelivery): Promise<SendResult> {
    const headers: Record<string, string> = {
      ...delivery.headers,
      'user-agent': delivery.headers['user-agent'] ?? USER_AGENT,
      'idempotency-key': delivery.id,
    };
    if (delivery.sealedSecrets.length > 0) {
      let secrets: string[];
      try {
        secrets = delivery.sealedSecrets.map(this.options.openSecret);
      } catch (error) {
        // Sending unsigned would teach the receiver to accept unsigned postbacks; fail the
        // attempt instead, so the schedule keeps it until SECRETS_KEY is fixed.
        return { statusCode: null, latencyMs: 0, responseSnippet: null, error: `not sent: cannot open the signing secret (${(error as Error).message})` };
      }
      Object.assign(headers, signatureHeaders(secrets, delivery, Math.floor(this.now().getTime() / 1000)));
    }
    return this.sender.send({
      method: delivery.method,
      url: delivery.url,
      body: delivery.body,
      headers,
      timeoutMs: delivery.timeoutMs ?? this.options.timeoutMs,
    });
  }
}

/**
 * Standard Webhooks headers, one `v1` signature per active secret (a rotation sends both). The
 * signed payload is the body; a GET has none, so there it is the request target (path and query
 * exactly as in the request line), which keeps the values in the URL covered by the signature.
 */
export function signatureHeaders(
  secrets: readonly string[],
  delivery: { id: string; method: 'GET' | 'POST'; url: string; body: string | null },
  timestampSec: number,
): Record<string, string> {
  const payload = delivery.body ?? requestTarget(delivery.url);
  const signed = secrets.map((secret) => signWebhook(secret, delivery.id, timestampSec, payload));
  return {
    'webhook-id': delivery.id,
    'webhook-timestamp': String(timestampSec),
    'webhook-signature': signed.map((h) => h['webhook-signature']).join(' '),
  };
}

/** Path and query as an HTTP client puts them in the request line (the URL parser's normal form). */
export function requestTarget(url: string): string {
  const parsed = new URL(url);
  return parsed.pathname + parsed.search;
}
