/** Why a source is failing, in the words of the API's health rules (docs/forwarding.md#source-health). */
export function sourceHealthText(s: {
  failingReason: 'consecutive_failures' | 'failure_ratio' | null;
  health: { consecutiveFailures: number; recentAttempts: number; recentFailures: number };
}): string {
  if (s.failingReason === 'consecutive_failures') return `The last ${s.health.consecutiveFailures} delivery attempts failed`;
  if (s.failingReason === 'failure_ratio') return `${s.health.recentFailures} of ${s.health.recentAttempts} delivery attempts failed in the last 15 minutes`;
  return 'Deliveries succeed';
}
