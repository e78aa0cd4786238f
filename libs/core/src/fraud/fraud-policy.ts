import type { SubParam } from '../click/macros';
import type { FraudVerdict } from './fraud-signal';
import {
  DEFAULT_DUPLICATE_POLICY,
  DEFAULT_VELOCITY_POLICY,
  duplicateSettings,
  velocitySettings,
  type DuplicatePolicy,
  type VelocityPolicy,
} from './velocity-settings';
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
  /** The buyer's country against the click's (`geo_mismatch`); see {@link GeoMismatchSettings}. */
  geoMismatch?: GeoMismatchSettings;
  /** Conversion rates per traffic source and per zone (`cr_outlier_source`, `cr_outlier_sub`); null: not checked. */
  conversionRate?: ConversionRateSettings | null;
  /** Velocity thresholds, counted in Redis windows; a stored policy may name only some (the rest keep their defaults). */
  velocity?: Partial<VelocityPolicy>;
  /** Duplicate-conversion thresholds (different clicks converting from one IP or device). */
  duplicates?: Partial<DuplicatePolicy>;
}

/** How a conversion's country is compared with its click's. */
export interface GeoMismatchSettings {
  /**
   * Groups of countries counted as one market (a buyer clicking in Germany and paying from Austria is
   * no mismatch when `['DE', 'AT']` is a group). ISO 3166-1 alpha-2 codes.
   */
  sameMarket: string[][];
}

/**
 * Conversion-rate bounds for the traffic source a conversion came from, and for its zone (the value of
 * one sub id), over the last `windowDays` UTC days, once `minClicks` clicks give the rate some meaning.
 * A rate is conversions (not declined) per click, as a fraction: 0.125 is 12.5 %.
 */
export interface ConversionRateSettings {
  /** The rate is judged only from this many clicks on (of the source, or of the zone). */
  minClicks: number;
  /** Above this rate the source or zone converts too well to be true (bots, incentivised or stolen traffic); null: no ceiling. */
  maxRate: number | null;
  /** Below this rate it hardly converts at all (clicks that never were people); null: no floor. */
  minRate: number | null;
  /** The sub id that names the zone (`sub2`); null: only the source's rate is checked. */
  subParam: SubParam | null;
  /** Days (UTC, today included) the rate is measured over. */
  windowDays: number;
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
  geoMismatch: { sameMarket: [] },
  conversionRate: null,
  velocity: DEFAULT_VELOCITY_POLICY,
  duplicates: DEFAULT_DUPLICATE_POLICY,
};

/** What a `conversionRate` setting that names only some fields gets for the others. */
export const DEFAULT_CONVERSION_RATE_SETTINGS: Readonly<ConversionRateSettings> = {
  minClicks: 500,
  maxRate: null,
  minRate: null,
  subParam: null,
  windowDays: 7,
};

/** Bounds on what a policy may hold, so a policy stays cheap to check on every click and conversion. */
export const FRAUD_POLICY_LIMITS = {
  blockedIps: 10_000,
  blockedUserAgents: 100,
  userAgentPatternLength: 200,
  blockedSubValues: 10_000,
  extraHostingAsns: 10_000,
  holdHoursMax: 24 * 90,
  sameMarketGroups: 100,
  conversionRateWindowDaysMax: 90,
} as const;

/** The stored policy over the defaults (a partial policy names only what it changes). */
export function withFraudDefaults(stored: Partial<FraudPolicy> | null | undefined): FraudPolicy & { velocity: VelocityPolicy; duplicates: DuplicatePolicy } {
  const policy = { ...DEFAULT_FRAUD_POLICY, ...(stored ?? {}) };
  // Groups are laid over their defaults field by field, so a stored group may name one threshold.
  return { ...policy, velocity: velocitySettings(stored?.velocity), duplicates: duplicateSettings(stored?.duplicates) };
}

/** The verdict for a score under a policy. */
export function verdictFor(score: number, policy: Pick<FraudPolicy, 'flagScore' | 'actionScore' | 'action'>): FraudVerdict {
  if (score >= policy.actionScore && score > 0) return policy.action;
  if (score >= policy.flagScore && score > 0) return 'flag';
  return 'allow';
}
