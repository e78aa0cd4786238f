import { checkOperatorLists, compileOperatorLists, type PluginReasonCode, type SignalReading } from '@postwire/core';

export type { PluginReasonCode, SignalReading } from '@postwire/core';

/**
 * Fraud scorers: a plugin that adds signals to the built-in ones (docs/plugins.md#fraud-scorers). A
 * scorer reads a click or a conversion and answers readings (fired or not, what it measured, against
 * what); the operator's policy weighs them like any built-in signal, and the trace shows them.
 *
 * A scorer may be asynchronous (a paid fraud service): Postwire runs it in the click writer's and the
 * postback recorder's batches, never in the request's own handling, with a timeout
 * (`FRAUD_SCORER_INTAKE_TIMEOUT_MS` on live traffic, `FRAUD_SCORER_TIMEOUT_MS` in re-score runs). A click's
 * redirect waits for its batch, so keep `scoreClick` fast. One that is slow, throws, or answers `unavailable` leaves its
 * signals out; the verdict comes from the rest, and the trace says why. Nothing it answers can fail
 * the click or the conversion.
 */

/** One reason a scorer may emit. */
export interface ScorerReason {
  /** `<scorer id>:<code>`: lowercase letters, digits, `-` and `_`, e.g. `ip-reputation-file:listed`. */
  code: PluginReasonCode;
  /** Points it adds when it fires, unless the policy's `weights` says otherwise (0–100; 0: off by default). */
  defaultWeight: number;
  /** What it means, for operators: `IP on the operator's reputation list`. */
  label: string;
}

/** The click as a scorer sees it. */
export interface ScorerClick {
  /** The click id. */
  id: string;
  campaignId: string;
  at: Date;
  ip: string | null;
  userAgent: string | null;
  /** Sub ids `sub1`…`sub10` that were sent. */
  subs: Readonly<Record<string, string>>;
}

/** The conversion as a scorer sees it, with its click. */
export interface ScorerConversion {
  id: string;
  campaignId: string;
  at: Date;
  goal: string;
  /** Decimal text in `currency`, or null. */
  payout: string | null;
  currency: string;
  click: ScorerClick;
}

/** What a scorer gets besides the event: a signal that aborts when its time is up. */
export interface ScorerContext {
  /** Aborted at the timeout: pass it to `fetch` so a slow call is cancelled, not left running. */
  signal: AbortSignal;
}

/**
 * A scorer's answer. `not_supported`: this scorer has nothing to say about this event (a result, not
 * an exception). `unavailable`: it could not answer now (a service down, a list unreadable); its
 * signals are left out and the reason goes into the trace.
 */
export type ScorerResult = { outcome: 'scored'; signals: SignalReading[] } | { outcome: 'not_supported' } | { outcome: 'unavailable'; reason: string };

/** A fraud scorer plugin. Implement at least one of `scoreClick` / `scoreConversion`. */
export interface FraudScorerPlugin {
  /** Lowercase, digits and dashes; the prefix of every code it emits. */
  id: string;
  /** One line for operators: what it looks at, where its data comes from. */
  description: string;
  /** Every code it may emit, each with its default weight and label; anything else it answers is dropped. */
  reasons: readonly ScorerReason[];
  /** Scores a click (in the click writer's batch, before the batch is scored; the batch's redirects wait at most the intake timeout). */
  scoreClick?(click: ScorerClick, ctx: ScorerContext): ScorerResult | Promise<ScorerResult>;
  /** Scores a conversion the postback batch creates, before its verdict is decided (its reading can hold or reject it). */
  scoreConversion?(conversion: ScorerConversion, ctx: ScorerContext): ScorerResult | Promise<ScorerResult>;
}

/** Identity, for typing: `export default definePlugin({ scorers: [defineScorer({...})] })`. */
export function defineScorer(scorer: FraudScorerPlugin): FraudScorerPlugin {
  return scorer;
}

/** A scorer id: lowercase letters, digits and dashes, starting with a letter. */
export const SCORER_ID = /^[a-z][a-z0-9-]{0,47}$/;

/** What is wrong with a scorer's declaration (its id, its reasons), empty when nothing is. */
export function scorerDeclarationProblems(scorer: FraudScorerPlugin): string[] {
  const problems: string[] = [];
  if (!SCORER_ID.test(scorer.id)) problems.push(`id "${scorer.id}" must be lowercase letters, digits and dashes`);
  if (!scorer.scoreClick && !scorer.scoreConversion) problems.push('implements neither scoreClick nor scoreConversion');
  if (scorer.reasons.length === 0) problems.push('declares no reasons');
  const seen = new Set<string>();
  for (const reason of scorer.reasons) {
    const [prefix, rest] = reason.code.split(':', 2);
    if (prefix !== scorer.id || !rest || !/^[a-z][a-z0-9_-]{0,47}$/.test(rest)) problems.push(`reason "${reason.code}" must be "${scorer.id}:<code>"`);
    if (seen.has(reason.code)) problems.push(`reason "${reason.code}" is declared twice`);
    seen.add(reason.code);
    if (!Number.isInteger(reason.defaultWeight) || reason.defaultWeight < 0 || reason.defaultWeight > 100)
      problems.push(`reason "${reason.code}" has default weight ${reason.defaultWeight}: a whole number 0-100`);
    if (!reason.label.trim()) problems.push(`reason "${reason.code}" has no label`);
  }
  return problems;
}

/** A list of IP addresses and CIDR ranges, parsed once (IPv4 and IPv6; an IPv4-mapped IPv6 address matches its IPv4 entry). */
export interface IpRangeList {
  /** The entry an address falls in, undefined when none. */
  match(ip: string | null | undefined): string | undefined;
  /** Entries that are not an address or a CIDR range with no host bits set, with their index. */
  problems: Array<{ index: number; message: string }>;
}

/** Parses IP and CIDR entries the way a fraud policy's `blockedIps` is parsed, for scorers that read their own lists. */
export function ipRangeList(entries: readonly string[]): IpRangeList {
  const lists = compileOperatorLists({ blockedIps: [...entries], blockedUserAgents: [], blockedSubs: [] });
  const problems = checkOperatorLists({ blockedIps: [...entries], blockedUserAgents: [] }).map((p) => ({
    index: Number(p.field.split('.')[1]),
    message: p.message,
  }));
  return { match: (ip) => lists.blockedIp(ip ?? undefined), problems };
}
