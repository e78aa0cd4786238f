import { classifyUserAgent, type FraudPolicy } from '@postwire/core';

/**
 * Where a click goes instead of the offer when the campaign's fraud policy sends known bots to a safe
 * URL and this user agent is one (a listed crawler or a headless browser); null otherwise. The only
 * fraud check made before the redirect, so it reads the user agent alone (no IP lookup, no list):
 * `bench/` measures it. Everything else is scored in the writer's batch.
 */
export function botTarget(policy: Partial<FraudPolicy>, userAgent: string | undefined): string | null {
  if (!policy.botSafeUrl) return null;
  const kind = classifyUserAgent(userAgent).kind;
  return kind === 'bot' || kind === 'headless' ? policy.botSafeUrl : null;
}
