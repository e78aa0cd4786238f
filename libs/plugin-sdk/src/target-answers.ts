import type { TargetAnswer } from './forwarding-target';

/** Longest wait a platform's `Retry-After` may ask for that is honoured as such (a day). */
const MAX_RETRY_AFTER_MS = 24 * 3_600_000;

/** The answer's `Retry-After` in ms (seconds or an HTTP date), capped at a day; undefined when absent or unreadable. */
export function retryAfterMs(answer: Pick<TargetAnswer, 'headers'>, now: number = Date.now()): number | undefined {
  const raw = Object.entries(answer.headers)
    .find(([name]) => name.toLowerCase() === 'retry-after')?.[1]
    ?.trim();
  if (!raw) return undefined;
  const ms = /^\d+$/.test(raw) ? Number(raw) * 1000 : Date.parse(raw) - now;
  if (Number.isNaN(ms)) return undefined;
  return Math.min(Math.max(0, ms), MAX_RETRY_AFTER_MS);
}

/** The answer's body as JSON, or undefined when it is not JSON (a proxy's HTML error page, a cut body). */
export function answerJson(answer: Pick<TargetAnswer, 'body'>): unknown {
  if (!answer.body) return undefined;
  try {
    return JSON.parse(answer.body) as unknown;
  } catch {
    return undefined;
  }
}
