/** What to do with a delivery after one attempt. */
export type NextStep = { status: 'delivered' } | { status: 'pending'; delayMs: number } | { status: 'dead'; reason: string };

export interface AttemptOutcome {
  /** HTTP status, or null when no response came (timeout, DNS, connection refused, refused by the SSRF guard). */
  statusCode: number | null;
  /** Parsed `Retry-After`, in ms, when the receiver sent one. */
  retryAfterMs?: number;
  /** True when sending must never be retried (e.g. the address is not allowed). */
  permanent?: boolean;
}

/** Longest `Retry-After` honoured: a receiver cannot park a delivery for more than a day. */
const MAX_RETRY_AFTER_MS = 24 * 3_600_000;

/**
 * Success is a 2xx and nothing else (a 3xx is not followed and not success). `410 Gone` stops at
 * once. `429`/`503` wait at least what `Retry-After` asks. Otherwise the schedule gives the wait
 * before the next attempt, with ±10 % jitter so a recovering receiver is not hit by a thundering herd.
 *
 * @param attemptsMade attempts including the one just made
 * @param scheduleMs delay before each attempt; its length is the total number of attempts
 */
export function nextStep(outcome: AttemptOutcome, attemptsMade: number, scheduleMs: readonly number[], random: () => number = Math.random): NextStep {
  const code = outcome.statusCode;
  if (code !== null && code >= 200 && code < 300) return { status: 'delivered' };
  if (code === 410) return { status: 'dead', reason: 'receiver answered 410 Gone' };
  if (outcome.permanent) return { status: 'dead', reason: 'permanent failure' };
  if (attemptsMade >= scheduleMs.length) return { status: 'dead', reason: `gave up after ${attemptsMade} attempts` };
  const planned = scheduleMs[attemptsMade];
  const jittered = Math.round(planned * (0.9 + random() * 0.2));
  const retryAfter = (code === 429 || code === 503) && outcome.retryAfterMs !== undefined ? Math.min(outcome.retryAfterMs, MAX_RETRY_AFTER_MS) : 0;
  return { status: 'pending', delayMs: Math.max(jittered, retryAfter) };
}

/** Reads `Retry-After` as seconds or as an HTTP date. */
export function parseRetryAfter(value: string | undefined, now: number = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
