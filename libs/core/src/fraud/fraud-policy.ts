import type { SubParam } from '../click/macros';
import type { FraudVerdict } from './fraud-signal';
import type { ScorerReasonCode } from './signal-reading';

/** What a policy may do at its action score ('allow' is what happens below the flag score). */
export type FraudAction = Exclude<FraudVerdict, 'allow'>;

/**
 * An operator's fraud settings for a campaign or an offer (the campaign's wins). Every field has a
 * default ({@link DEFAULT_FRAUD_POLICY}), so a stored policy may name only what it changes.
 */
export interface FraudPolicy {
  /** At or above this score a click or conversion is flagged. */
  flagScore: number;
  /** At or above this score the policy's {@link action} applies. */
  actionScore: number;
  /** What happens at the action score. The default, `flag`, changes nothing about forwarding. */
  action: FraudAction;
  /** Click-to-conversion time bounds in seconds; `null` leaves that side open. */
  ctitMinSeconds: number | null;
  ctitMaxSeconds: number | null;
  /** Points per reason, overriding {@link DEFAULT_FRAUD_WEIGHTS} (or a scorer plugin's declared default); 0 turns a signal off. */
  weights: Partial<Record<ScorerReasonCode, number>>;
  /** IP addresses and CIDR ranges whose traffic is blocked (`blocked_ip`). */
  blockedIps: string[];
  /** User-agent patterns (RE2 syntax: linear time, no backtracking) whose traffic is blocked. */
  blockedUserAgents: string[];
  /** Sub-id values (bad zones, placements) whose traffic is blocked, per sub parameter. */
  blockedSubs: Array<{ param: SubParam; values: string[] }>;
  /** ASNs to treat as hosting networks beyond the shipped list. */
  extraHostingAsns: number[];
  /** Clicks from a known bot user agent go here instead of the offer (checked inline, user agent only); null: not redirected. */
  botSafeUrl: string | null;
  /** A held conversion nobody reviewed is decided this many hours after it was held. */
  holdHours: number;
  /** What an expired hold becomes. */
  holdExpiry: 'release' | 'reject';
}

export const DEFAULT_FRAUD_POLICY: Readonly<FraudPolicy> = {
  flagScore: 40,
  actionScore: 80,
  action: 'flag',
  ctitMinSeconds: 10,
  ctitMaxSeconds: null,
  weights: {},
  blockedIps: [],
  blockedUserAgents: [],
  blockedSubs: [],
  extraHostingAsns: [],
  botSafeUrl: null,
  holdHours: 72,
  holdExpiry: 'reject',
};

/** Bounds on what a policy may hold, so a policy stays cheap to check on every click and conversion. */
export const FRAUD_POLICY_LIMITS = {
  blockedIps: 10_000,
  blockedUserAgents: 100,
  userAgentPatternLength: 200,
  blockedSubValues: 10_000,
  extraHostingAsns: 10_000,
  holdHoursMax: 24 * 90,
} as const;

/** The stored policy over the defaults (a partial policy names only what it changes). */
export function withFraudDefaults(stored: Partial<FraudPolicy> | null | undefined): FraudPolicy {
  return { ...DEFAULT_FRAUD_POLICY, ...(stored ?? {}) };
}

/** The verdict for a score under a policy. */
export function verdictFor(score: number, policy: Pick<FraudPolicy, 'flagScore' | 'actionScore' | 'action'>): FraudVerdict {
  if (score >= policy.actionScore && score > 0) return policy.action;
  if (score >= policy.flagScore && score > 0) return 'flag';
  return 'allow';
}
