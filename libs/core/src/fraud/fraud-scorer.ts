import type { AsnLookup } from './asn-lookup';
import { classifyUserAgent, type UserAgentKind } from './bot-user-agent';
import { type FraudPolicy } from './fraud-policy';
import { verdictFor } from './fraud-policy';
import { DEFAULT_FRAUD_WEIGHTS, type FraudAssessment, type FraudSignal } from './fraud-signal';
import { HOSTING_ASNS } from './hosting-asns';
import { compileOperatorLists } from './operator-lists';
import { BUILT_IN_SCORERS, type ScoringContext, type SignalScorer } from './scorers';
import type { ClickFacts, ConversionFacts } from './scoring-facts';
import type { ScorerReasonCode, SignalReading } from './signal-reading';

export type { ClickFacts, ConversionFacts, MeasuredRate } from './scoring-facts';

interface CompiledPolicy extends ScoringContext {
  weight(code: ScorerReasonCode): number;
}

/** Compiled policies kept; policies are few (one per campaign or offer), this only bounds a pathological install. */
const COMPILED_CACHE = 1000;
/** User agents whose reading is kept. */
const UA_CACHE = 10_000;

export interface FraudScorerOptions {
  /** The signal groups composed, in order; the built-in ones by default. */
  scorers?: readonly SignalScorer[];
  /** Default weights of scorer plugins' declared codes (`<pluginId>:<code>`), used when the policy names none. */
  pluginWeights?: Readonly<Record<string, number>>;
}

/**
 * Scores clicks and conversions against a policy by composing signal scorers (the built-in ones are
 * pure and offline: the request and the shipped data sets). The score is the sum of the fired signals'
 * weights, capped at 100, and the verdict is the policy's for that score. Readings of scorer plugins
 * (run elsewhere, asynchronously) are weighed into an assessment with {@link withReadings}.
 * Pure apart from its caches of compiled policies and user-agent readings.
 */
export class FraudScorer {
  private readonly compiled = new Map<string, CompiledPolicy>();
  /** The same policy object again (a cached campaign route's): no key to build, which for long lists costs more than the scoring. */
  private readonly byObject = new WeakMap<FraudPolicy, CompiledPolicy>();
  private readonly userAgents = new Map<string, UserAgentKind>();
  private readonly scorers: readonly SignalScorer[];
  private pluginWeights: Readonly<Record<string, number>>;
  private readonly owners = new Map<string, SignalScorer>();

  /** `asn`: the IP-to-ASN database; without it the datacenter signal does not run. */
  constructor(
    private readonly asn?: AsnLookup,
    options: FraudScorerOptions = {},
  ) {
    this.scorers = options.scorers ?? BUILT_IN_SCORERS;
    this.pluginWeights = options.pluginWeights ?? {};
    for (const scorer of this.scorers) for (const code of scorer.codes) this.owners.set(code, scorer);
  }

  assessClick(facts: ClickFacts, policy: FraudPolicy): FraudAssessment {
    const ctx = this.compile(policy);
    return this.conclude(this.clickReadings(facts, ctx), ctx);
  }

  assessConversion(facts: ConversionFacts, policy: FraudPolicy): FraudAssessment {
    const ctx = this.compile(policy);
    const readings = this.clickReadings(facts.click, ctx);
    for (const scorer of this.scorers) if (scorer.conversion) readings.push(...scorer.conversion(facts, ctx));
    return this.conclude(readings, ctx);
  }

  /**
   * A conversion scored again under a (new) policy, for re-scoring: what the scorers measure now, plus
   * each stored reading they cannot measure again (a velocity window's count, a plugin's answer), judged
   * again from its `measured` number where its scorer knows how, and weighed by the new policy.
   */
  reassessConversion(facts: ConversionFacts, policy: FraudPolicy, stored: readonly SignalReading[]): FraudAssessment {
    const fresh = this.assessConversion(facts, policy);
    const ctx = this.compile(policy);
    const measured = new Set(fresh.signals.map((s) => s.code));
    const kept: SignalReading[] = [];
    for (const old of stored) {
      if (measured.has(old.code) || this.measuredAgain(old.code)) continue;
      const reading: SignalReading = { code: old.code, fired: old.fired, value: old.value, threshold: old.threshold };
      if (old.measured !== undefined) reading.measured = old.measured;
      const rejudge = this.owners.get(old.code)?.rejudge;
      kept.push(rejudge ? rejudge(reading, policy) : reading);
    }
    return kept.length ? this.conclude([...fresh.signals, ...kept], ctx, fresh.notes) : fresh;
  }

  /** An assessment with more readings (a scorer plugin's) weighed in, and notes for the trace (a scorer that timed out). */
  withReadings(assessment: FraudAssessment, readings: readonly SignalReading[], policy: FraudPolicy, notes: readonly string[] = []): FraudAssessment {
    const allNotes = [...(assessment.notes ?? []), ...notes];
    if (readings.length === 0 && notes.length === 0) return assessment;
    return this.conclude([...assessment.signals, ...readings], this.compile(policy), allNotes);
  }

  /**
   * Takes the installed scorer plugins' declared default weights (once, when the plugins are loaded:
   * they are known only after the scorer is made). Compiled policies read them at weighing time.
   */
  adoptPluginWeights(weights: Readonly<Record<string, number>>): void {
    this.pluginWeights = { ...weights };
  }

  /** The weight of a code under a policy: the policy's, else the built-in default, else the plugin's declared default. */
  weightOf(code: ScorerReasonCode, policy: FraudPolicy): number {
    return this.compile(policy).weight(code);
  }

  /**
   * Built-in codes whose input is always there again (the user agent, the IP, the times): a stored reading
   * of theirs that is not produced now was dropped by the policy (weight 0, list emptied), not lost.
   */
  private measuredAgain(code: ScorerReasonCode): boolean {
    const owner = this.owners.get(code);
    return owner !== undefined && owner.rejudge === undefined;
  }

  private clickReadings(facts: ClickFacts, ctx: CompiledPolicy): SignalReading[] {
    const readings: SignalReading[] = [];
    for (const scorer of this.scorers) if (scorer.click) readings.push(...scorer.click(facts, ctx));
    return readings;
  }

  /** Weighs the readings (a weight of 0 leaves a signal out: turned off), adds the fired ones up, caps at 100. */
  private conclude(readings: readonly SignalReading[], ctx: CompiledPolicy, notes?: readonly string[]): FraudAssessment {
    const signals: FraudSignal[] = [];
    let sum = 0;
    for (const reading of readings) {
      const weight = ctx.weight(reading.code);
      if (weight <= 0) continue;
      // Field by field rather than a spread: the readings' shapes vary (`measured` or not), and a spread of
      // them was most of this function's cost on the click path (several signals per click).
      const signal: FraudSignal = { code: reading.code, fired: reading.fired, value: reading.value, threshold: reading.threshold, weight };
      if (reading.measured !== undefined) signal.measured = reading.measured;
      signals.push(signal);
      if (reading.fired) sum += weight;
    }
    const score = Math.min(100, sum);
    const assessment: FraudAssessment = { score, verdict: verdictFor(score, ctx.policy), signals };
    if (notes && notes.length) assessment.notes = [...notes];
    return assessment;
  }

  /** User agents repeat a lot: each is read once (the crawler list is one large regex). */
  private userAgentKind(userAgent: string | null | undefined): UserAgentKind {
    if (!userAgent) return classifyUserAgent(userAgent);
    const cached = this.userAgents.get(userAgent);
    if (cached) return cached;
    const kind = classifyUserAgent(userAgent);
    if (this.userAgents.size >= UA_CACHE) this.userAgents.delete(this.userAgents.keys().next().value as string);
    this.userAgents.set(userAgent, kind);
    return kind;
  }

  private compile(policy: FraudPolicy): CompiledPolicy {
    const known = this.byObject.get(policy);
    if (known) return known;
    const key = JSON.stringify(policy);
    const cached = this.compiled.get(key);
    if (cached) {
      this.byObject.set(policy, cached);
      return cached;
    }
    if (this.compiled.size >= COMPILED_CACHE) this.compiled.delete(this.compiled.keys().next().value as string);
    const defaults: Readonly<Record<string, number>> = DEFAULT_FRAUD_WEIGHTS;
    const compiled: CompiledPolicy = {
      policy,
      lists: compileOperatorLists(policy),
      hosting: new Set([...HOSTING_ASNS.keys(), ...policy.extraHostingAsns]),
      asn: this.asn,
      userAgentKind: (ua) => this.userAgentKind(ua),
      weight: (code) => policy.weights[code] ?? defaults[code] ?? this.pluginWeights[code] ?? 0,
    };
    this.compiled.set(key, compiled);
    this.byObject.set(policy, compiled);
    return compiled;
  }
}
