/**
 * The closed set of reasons a click or conversion can be suspected for. Each is one signal; the
 * operator's policy weighs them (see {@link DEFAULT_FRAUD_WEIGHTS}) and the sum is the score.
 */
export const FRAUD_REASON_CODES = [
  'bot_user_agent',
  'headless_browser',
  'empty_user_agent',
  'malformed_user_agent',
  'datacenter_ip',
  'ctit_too_short',
  'ctit_too_long',
  'blocked_ip',
  'blocked_user_agent',
  'blocked_sub',
  'geo_mismatch',
  'cr_outlier_source',
  'cr_outlier_sub',
  'ip_click_velocity',
  'ip_ua_click_velocity',
  'sub_click_velocity',
  'ip_conversion_velocity',
  'duplicate_ip_conversion',
  'duplicate_device_conversion',
] as const;

export type FraudReasonCode = (typeof FRAUD_REASON_CODES)[number];

/**
 * How much each reason adds to the score (0–100) unless the policy says otherwise. An operator list
 * match is the operator's own word, so it alone reaches 100; a datacenter address alone only flags.
 */
export const DEFAULT_FRAUD_WEIGHTS: Readonly<Record<FraudReasonCode, number>> = {
  bot_user_agent: 80,
  headless_browser: 80,
  empty_user_agent: 50,
  malformed_user_agent: 40,
  datacenter_ip: 40,
  ctit_too_short: 60,
  ctit_too_long: 30,
  blocked_ip: 100,
  blocked_user_agent: 100,
  blocked_sub: 100,
  // A buyer abroad can be a traveller or a roaming phone: alone it flags, with another signal it acts.
  geo_mismatch: 40,
  // A rate says something of the whole source or zone, not of this conversion: alone it stays below the flag.
  cr_outlier_source: 30,
  cr_outlier_sub: 30,
  // Velocity and duplicates are measured in Redis windows; each alone flags at most (below the default
  // action score), so a busy office behind one address is marked, never held, unless the operator says so.
  ip_click_velocity: 40,
  ip_ua_click_velocity: 40,
  sub_click_velocity: 30,
  ip_conversion_velocity: 40,
  duplicate_ip_conversion: 30,
  duplicate_device_conversion: 40,
};

import type { ScorerReasonCode } from './signal-reading';

/**
 * One signal as it was evaluated: what was measured and against what. Kept for every signal that
 * ran, fired or not, so the trace can show why a conversion was (or was not) suspected.
 */
export interface FraudSignal {
  /** A built-in reason, or a scorer plugin's namespaced one (`<pluginId>:<code>`). */
  code: ScorerReasonCode;
  fired: boolean;
  /** What was measured, as text: the matching user agent token, `AS16509 Amazon.com, Inc.`, `4.2 s`. */
  value: string;
  /** What it was held against: `isbot list`, `hosting ASN list`, `min 10 s`. */
  threshold: string;
  /** Points this signal adds when it fires (from the policy). */
  weight: number;
  /**
   * The measurement as a number (a count in a window, a conversion rate, seconds), for signals whose
   * input cannot be measured again later (a velocity window): re-scoring judges it against a new threshold.
   */
  measured?: number;
}

/** What a policy does with a suspect: let it through, mark it, hold it for review, decline it, or keep it but tell no traffic source. */
export const FRAUD_VERDICTS = ['allow', 'flag', 'hold', 'reject', 'dont_forward'] as const;
export type FraudVerdict = (typeof FRAUD_VERDICTS)[number];

/** A scored click or conversion. */
export interface FraudAssessment {
  /** 0–100: the weights of the fired signals, added up and capped. */
  score: number;
  verdict: FraudVerdict;
  /** Every signal that ran; `reasons` are the fired ones. */
  signals: FraudSignal[];
  /** What did not run and why, for the trace: `scorer ip-reputation timed out after 2000 ms`. */
  notes?: string[];
}

/** The codes of the fired signals, in evaluation order. */
export function firedReasons(assessment: Pick<FraudAssessment, 'signals'>): ScorerReasonCode[] {
  return assessment.signals.filter((s) => s.fired).map((s) => s.code);
}
