/**
 * When a traffic source counts as failing. Two rules, either one enough: the last N delivery
 * attempts all failed (a source that broke outright), or at least half of the attempts of the last
 * 15 minutes failed (a source that fails intermittently under load). Both read aggregates the
 * attempt log keeps (a counter reset by each success, and per-minute counts), so the state is as
 * fresh as the last attempt and costs a row read, and it clears by itself once attempts succeed.
 */
export interface SourceHealthThresholds {
  /** Failed attempts in a row that make a source failing (SOURCE_FAILING_AFTER_FAILURES, default 5). */
  consecutiveFailures: number;
  /** Share of failed attempts in the window that makes a source failing (SOURCE_FAILING_RATIO, default 0.5). */
  failureRatio: number;
  /** Fewer attempts than this in the window say nothing about a ratio (SOURCE_FAILING_MIN_ATTEMPTS, default 10). */
  minAttempts: number;
}

/** The window the failure ratio is taken over. */
export const SOURCE_HEALTH_WINDOW_MINUTES = 15;

export const DEFAULT_SOURCE_HEALTH_THRESHOLDS: SourceHealthThresholds = { consecutiveFailures: 5, failureRatio: 0.5, minAttempts: 10 };

/** What the delivery path keeps for one source. */
export interface SourceDeliveryStats {
  /** Failed attempts since the last success. */
  consecutiveFailures: number;
  /** Attempts and failures in the last {@link SOURCE_HEALTH_WINDOW_MINUTES} minutes. */
  recentAttempts: number;
  recentFailures: number;
}

/** Why a source is failing, or null while it is healthy. */
export type SourceFailingReason = 'consecutive_failures' | 'failure_ratio';

export function sourceFailingReason(stats: SourceDeliveryStats, t: SourceHealthThresholds = DEFAULT_SOURCE_HEALTH_THRESHOLDS): SourceFailingReason | null {
  if (stats.consecutiveFailures >= t.consecutiveFailures) return 'consecutive_failures';
  if (stats.recentAttempts >= t.minAttempts && stats.recentFailures / stats.recentAttempts >= t.failureRatio) return 'failure_ratio';
  return null;
}

/** One sentence for the console and alert messages. */
export function describeSourceFailure(reason: SourceFailingReason, stats: SourceDeliveryStats): string {
  return reason === 'consecutive_failures'
    ? `the last ${stats.consecutiveFailures} delivery attempts failed`
    : `${stats.recentFailures} of ${stats.recentAttempts} delivery attempts failed in the last ${SOURCE_HEALTH_WINDOW_MINUTES} minutes`;
}
