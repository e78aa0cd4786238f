import type { SubParam } from '../click/macros';
import type { AsnLookup } from './asn-lookup';
import { classifyUserAgent, type UserAgentKind } from './bot-user-agent';
import { type FraudPolicy } from './fraud-policy';
import { verdictFor } from './fraud-policy';
import { DEFAULT_FRAUD_WEIGHTS, type FraudAssessment, type FraudReasonCode, type FraudSignal, type SignalReading } from './fraud-signal';
import { HOSTING_ASNS } from './hosting-asns';
import { compileOperatorLists, type OperatorLists } from './operator-lists';
import { conversionRateOutliers } from './signals/conversion-rate';
import { geoMismatch } from './signals/geo-mismatch';
import { clickVelocitySignals } from './signals/click-velocity';
import { conversionVelocitySignals } from './signals/conversion-velocity';
import { duplicateConversionSignals } from './signals/duplicate-conversions';
import type { ClickVelocity, ConversionVelocity } from './velocity-counter';

/** What is known about a click when it is scored. */
export interface ClickFacts {
  ip?: string | null;
  userAgent?: string | null;
  subs: Readonly<Partial<Record<SubParam, string | null>>>;
  /** ISO 3166-1 alpha-2, from the click's IP; empty or absent when it could not be placed. */
  country?: string | null;
  /** Windowed click counts (Redis), when they were measured; without them the velocity signals do not run. */
  velocity?: ClickVelocity;
}

/** Clicks and conversions counted over a window (of a traffic source, or of one zone). */
export interface MeasuredRate {
  clicks: number;
  conversions: number;
}

/**
 * What is known about a conversion when it is scored: its click, and when each happened. The optional
 * fields are measured outside core before scoring (a lookup, the report rollups); a signal whose input
 * is absent does not run.
 */
export interface ConversionFacts {
  click: ClickFacts & { at: Date };
  at: Date;
  /** The buyer's country (ISO 3166-1 alpha-2): as the network sent it, or as its buyer IP places it. */
  country?: string | null;
  /** Conversion rates of the click's traffic source, and of its zone (the policy's `conversionRate.subParam`). */
  rates?: { source?: MeasuredRate; sub?: MeasuredRate & { param: SubParam; value: string } };
  /** Windowed conversion counts (Redis), when they were measured; without them the velocity and duplicate signals do not run. */
  velocity?: ConversionVelocity;
}

interface CompiledPolicy {
  policy: FraudPolicy;
  lists: OperatorLists;
  hosting: ReadonlySet<number>;
  weight(code: FraudReasonCode): number;
}

/** Compiled policies kept; policies are few (one per campaign or offer), this only bounds a pathological install. */
const COMPILED_CACHE = 1000;
/** User agents whose reading is kept. */
const UA_CACHE = 10_000;

/**
 * Scores clicks and conversions against a policy. Every signal is computed offline from the request
 * and the shipped data sets; the score is the sum of the fired signals' weights, capped at 100, and
 * the verdict is the policy's for that score. Pure apart from its cache of compiled policies.
 */
export class FraudScorer {
  private readonly compiled = new Map<string, CompiledPolicy>();
  /** The same policy object again (a cached campaign route's): no key to build, which for long lists costs more than the scoring. */
  private readonly byObject = new WeakMap<FraudPolicy, CompiledPolicy>();
  private readonly userAgents = new Map<string, UserAgentKind>();

  /** `asn`: the IP-to-ASN database; without it the datacenter signal does not run. */
  constructor(private readonly asn?: AsnLookup) {}

  assessClick(facts: ClickFacts, policy: FraudPolicy): FraudAssessment {
    const compiled = this.compile(policy);
    return conclude(this.clickSignals(facts, compiled), policy);
  }

  assessConversion(facts: ConversionFacts, policy: FraudPolicy): FraudAssessment {
    const compiled = this.compile(policy);
    const signals = this.clickSignals(facts.click, compiled);
    const seconds = (facts.at.getTime() - facts.click.at.getTime()) / 1000;
    const shown = `${formatSeconds(seconds)} s`;
    if (policy.ctitMinSeconds !== null) add(signals, compiled, 'ctit_too_short', seconds < policy.ctitMinSeconds, shown, `min ${policy.ctitMinSeconds} s`);
    if (policy.ctitMaxSeconds !== null) add(signals, compiled, 'ctit_too_long', seconds > policy.ctitMaxSeconds, shown, `max ${policy.ctitMaxSeconds} s`);
    addReadings(signals, compiled, geoMismatch(facts, policy));
    addReadings(signals, compiled, conversionRateOutliers(facts, policy));
    addReadings(signals, compiled, conversionVelocitySignals(facts, policy));
    addReadings(signals, compiled, duplicateConversionSignals(facts, policy));
    return conclude(signals, policy);
  }

  private clickSignals(facts: ClickFacts, compiled: CompiledPolicy): FraudSignal[] {
    const signals: FraudSignal[] = [];
    const ua = this.userAgentKind(facts.userAgent);
    const uaShown = facts.userAgent ? shorten(facts.userAgent) : '(none)';
    add(signals, compiled, 'bot_user_agent', ua.kind === 'bot', ua.kind === 'bot' ? `matched "${ua.match}"` : uaShown, 'isbot crawler list');
    add(signals, compiled, 'headless_browser', ua.kind === 'headless', ua.kind === 'headless' ? `matched "${ua.match}"` : uaShown, 'headless browser tokens');
    add(signals, compiled, 'empty_user_agent', ua.kind === 'empty', uaShown, 'a user agent is sent');
    add(
      signals,
      compiled,
      'malformed_user_agent',
      ua.kind === 'malformed',
      ua.kind === 'malformed' ? ua.why : uaShown,
      'printable, with a product/version token',
    );
    if (this.asn && facts.ip) {
      const record = this.asn.lookup(facts.ip);
      const hosting = record !== undefined && compiled.hosting.has(record.asn);
      add(signals, compiled, 'datacenter_ip', hosting, record ? `AS${record.asn} ${record.organisation}` : `${facts.ip}: no ASN`, 'hosting ASN list');
    }
    const ip = compiled.lists.blockedIp(facts.ip ?? undefined);
    if (compiled.policy.blockedIps.length) add(signals, compiled, 'blocked_ip', ip !== undefined, ip ?? facts.ip ?? '(none)', 'operator IP list');
    const pattern = compiled.lists.blockedUserAgent(facts.userAgent ?? undefined);
    if (compiled.policy.blockedUserAgents.length)
      add(signals, compiled, 'blocked_user_agent', pattern !== undefined, pattern ? `matched /${pattern}/` : uaShown, 'operator user-agent patterns');
    const sub = compiled.lists.blockedSub(facts.subs);
    if (compiled.policy.blockedSubs.length) add(signals, compiled, 'blocked_sub', sub !== undefined, sub ?? '(no listed value)', 'operator sub-id list');
    addReadings(signals, compiled, clickVelocitySignals(facts, compiled.policy));
    return signals;
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
    const hosting = new Set([...HOSTING_ASNS.keys(), ...policy.extraHostingAsns]);
    const compiled: CompiledPolicy = {
      policy,
      lists: compileOperatorLists(policy),
      hosting,
      weight: (code) => policy.weights[code] ?? DEFAULT_FRAUD_WEIGHTS[code],
    };
    this.compiled.set(key, compiled);
    this.byObject.set(policy, compiled);
    return compiled;
  }
}

/** Adds a signal unless the policy weighs it 0 (turned off). */
function add(signals: FraudSignal[], compiled: CompiledPolicy, code: FraudReasonCode, fired: boolean, value: string, threshold: string): void {
  const weight = compiled.weight(code);
  if (weight > 0) signals.push({ code, fired, value, threshold, weight });
}

/** Adds a signal function's readings with the policy's weights, leaving out the signals it weighs 0. */
function addReadings(signals: FraudSignal[], compiled: CompiledPolicy, readings: readonly SignalReading[]): void {
  for (const reading of readings) {
    const weight = compiled.weight(reading.code);
    if (weight > 0) signals.push({ ...reading, weight });
  }
}

function conclude(signals: FraudSignal[], policy: FraudPolicy): FraudAssessment {
  const score = Math.min(
    100,
    signals.reduce((sum, s) => sum + (s.fired ? s.weight : 0), 0),
  );
  return { score, verdict: verdictFor(score, policy), signals };
}

function formatSeconds(seconds: number): string {
  return (Math.round(seconds * 10) / 10).toString();
}

function shorten(text: string): string {
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}
