import type { AsnLookup } from '../asn-lookup';
import type { UserAgentKind } from '../bot-user-agent';
import type { FraudPolicy } from '../fraud-policy';
import type { ClickFacts, ConversionFacts } from '../scoring-facts';
import type { OperatorLists } from '../operator-lists';
import type { ScorerReasonCode, SignalReading } from '../signal-reading';

/**
 * What a built-in scorer may use besides the facts and the policy: the policy's compiled lists, the
 * hosting networks, the ASN database and the cached user-agent reading. Built once per policy.
 */
export interface ScoringContext {
  readonly policy: FraudPolicy;
  readonly lists: OperatorLists;
  readonly hosting: ReadonlySet<number>;
  readonly asn?: AsnLookup;
  userAgentKind(userAgent: string | null | undefined): UserAgentKind;
}

/**
 * One group of signals, synchronous and pure: the shape of every built-in signal and of anything the
 * {@link FraudScorer} composes. A conversion is scored by every scorer's `click` (on its click's facts)
 * and every scorer's `conversion`. A signal whose input is missing is left out (absent, not "not fired").
 */
export interface SignalScorer {
  readonly id: string;
  /** The codes it may emit, so a stored reading can be traced back to its scorer when re-scoring. */
  readonly codes: readonly ScorerReasonCode[];
  click?(facts: ClickFacts, ctx: ScoringContext): SignalReading[];
  conversion?(facts: ConversionFacts, ctx: ScoringContext): SignalReading[];
  /**
   * Judges a stored reading again under a new policy, for signals whose input cannot be measured again
   * (a velocity window): from its `measured` number against the new threshold. Without it, a stored
   * reading the scorer does not produce again is kept as it was (and weighed by the new policy).
   */
  rejudge?(stored: SignalReading, policy: FraudPolicy): SignalReading;
}

/** A signal as a pure function of the facts and the policy (cross-team shape: `libs/core/src/fraud/signals/<name>.ts`). */
export type SignalFunction<Facts> = (facts: Facts, policy: FraudPolicy) => SignalReading[];

/**
 * Adopts a click signal function as a built-in scorer, in one line:
 * `clickSignal('velocity', ['velocity_ip'], velocitySignal)`. It also runs for conversions, on their click.
 */
export function clickSignal(id: string, codes: readonly ScorerReasonCode[], read: SignalFunction<ClickFacts>, rejudge?: SignalScorer['rejudge']): SignalScorer {
  return { id, codes, click: (facts, ctx) => read(facts, ctx.policy), rejudge };
}

/** Adopts a conversion-only signal function (CTIT, duplicates, geo mismatch) as a built-in scorer, in one line. */
export function conversionSignal(
  id: string,
  codes: readonly ScorerReasonCode[],
  read: SignalFunction<ConversionFacts>,
  rejudge?: SignalScorer['rejudge'],
): SignalScorer {
  return { id, codes, conversion: (facts, ctx) => read(facts, ctx.policy), rejudge };
}
