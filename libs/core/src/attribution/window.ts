/** Attribution window used when a network does not configure its own. */
export const DEFAULT_ATTRIBUTION_WINDOW_DAYS = 30;

/**
 * How far a postback may appear to precede its click. Both instants come from Postwire's own
 * servers, so a postback "before" its click can only be clock drift between instances; anything
 * larger than this is not drift but a click id that does not belong to this postback.
 */
export const CLOCK_SKEW_TOLERANCE_MS = 5 * 60 * 1000;

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Whether a conversion received at `receivedAt` may still be credited to a click made at
 * `clickAt`. The window is `windowDays` × 24 h of elapsed time (not calendar days, so daylight
 * saving changes nothing) and includes its last instant. `clickAt` must be the click's creation
 * time (the time inside the click id), not the time its row was written, so that a postback
 * matched to a late-arriving click is judged by when the click really happened.
 *
 * @throws RangeError for an invalid date or a negative / non-finite window: those are bugs or
 *   misconfiguration, not traffic, and must not silently credit or drop conversions.
 */
export function isInsideWindow(clickAt: Date, receivedAt: Date, windowDays: number, skewToleranceMs: number = CLOCK_SKEW_TOLERANCE_MS): boolean {
  const click = clickAt.getTime();
  const received = receivedAt.getTime();
  if (Number.isNaN(click) || Number.isNaN(received)) throw new RangeError('isInsideWindow: invalid date');
  if (!Number.isFinite(windowDays) || windowDays < 0) throw new RangeError(`isInsideWindow: invalid window ${windowDays}`);
  if (!Number.isFinite(skewToleranceMs) || skewToleranceMs < 0) {
    throw new RangeError(`isInsideWindow: invalid skew tolerance ${skewToleranceMs}`);
  }
  const elapsed = received - click;
  return elapsed >= -skewToleranceMs && elapsed <= windowDays * DAY_MS;
}
