import type { ConversionStatus } from '@postwire/core';
import type { ConfigOf, ConfigSchema } from './config-schema';
import type { PersonalNormalisation } from './target-hashing';

/**
 * Forwarding targets: where a conversion goes after attribution. The built-in "postback URL"
 * target fills a traffic source's URL template; ad platforms (Meta Conversions API, Google Ads,
 * TikTok Events API) are targets too, each a small plugin on this interface, sent through the same
 * exactly-once delivery queue with its retries and delivery log.
 *
 * A target never sends anything itself: it builds a request, and reads the answer. The runtime
 * sends, retries, records and alerts. "Not sent" (no click identifier, too old, an event the
 * mapping drops) is a result, never an exception.
 */

/** Click identifiers ad platforms need, captured from the campaign link when they arrive. */
export interface ClickIdentifiers {
  /** Meta click id (`fbclid` query parameter). */
  fbclid?: string;
  /** Meta `_fbc` value, when the landing page passed it. */
  fbc?: string;
  /** Meta browser id `_fbp`, when passed. */
  fbp?: string;
  /** Google Ads click id. */
  gclid?: string;
  /** Google Ads click id for iOS app-to-web traffic. */
  gbraid?: string;
  /** Google Ads click id for web-to-app traffic. */
  wbraid?: string;
  /** TikTok click id. */
  ttclid?: string;
  /** TikTok browser id `_ttp`, when passed. */
  ttp?: string;
}

/** The click behind a conversion, as a target sees it. */
export interface TargetClick {
  id: string;
  at: Date;
  ip: string | null;
  userAgent: string | null;
  /** ISO 3166-1 alpha-2, when known. */
  country: string | null;
  /** The landing page URL, when the campaign link passed one. */
  landingUrl: string | null;
  identifiers: ClickIdentifiers;
}

/**
 * Personal data the network sent with the postback. Raw values exist only in memory: the runtime
 * stores only their SHA-256 digests (`hashPersonalData`, one per normalisation) with the delivery, so
 * a request built at send time receives here the digests of the target's own `normalisation`. A
 * target always passes these values through the `sha256Normalized*` helpers with that normalisation,
 * which hash a raw value and pass a digest through unchanged; nothing raw is ever stored in the
 * delivery log.
 */
export interface TargetPersonalData {
  email?: string;
  phone?: string;
  externalId?: string;
}

/** One conversion, at the moment it is forwarded. */
export interface TargetConversion {
  /** Postwire's conversion id: stable across retries and status changes (use it as the event id). */
  id: string;
  status: ConversionStatus;
  /** The status forwarded before this one, when this is a status change; null for the first. */
  previousStatus: ConversionStatus | null;
  goal: string | null;
  txid: string | null;
  /** Exact decimal strings, as stored ("12.50"); null when the network sent none. */
  payout: string | null;
  revenue: string | null;
  /** ISO 4217, upper case. */
  currency: string | null;
  /** When the conversion happened (the network's time when it sent one, else when it was received). */
  occurredAt: Date;
  click: TargetClick;
  personal: TargetPersonalData;
  /** A test conversion (console test tools): targets should use the platform's test mode when they have one. */
  isTest: boolean;
}

/** One operator rule of a target's event mapping, matched in order; the first that matches wins. */
export interface EventMappingRule {
  /** Matches this status only; any status when absent. */
  status?: ConversionStatus;
  /** Matches this goal only (case-insensitive); any goal when absent. */
  goal?: string;
  /** The platform event to send (one of the target's `events`), or null: do not send. */
  event: string | null;
}

/** A request for the runtime to send. */
export interface TargetRequest {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  /** The exact body; already free of raw personal data (hashed), since the delivery log stores it. */
  body: string | null;
}

/**
 * What building a request gave: something to send; why nothing is sent; or a failure before sending
 * (an OAuth token exchange refused or unanswered), whose verdict the runtime applies as if the
 * platform had answered: the attempt is recorded, then retried or given up (with an alert) as it says.
 * `event` is what the delivery log shows: one of the target's `events`, or for `update` the
 * platform's name for the change it sends (a retraction), which no mapping chooses.
 */
export type TargetBuild =
  | { kind: 'send'; request: TargetRequest; event: string | null }
  | { kind: 'not_sent'; reason: string }
  | { kind: 'failed'; verdict: Extract<TargetVerdict, { kind: 'retry' | 'permanent' }> };

/** What the platform's answer means for the delivery. */
export type TargetVerdict =
  | { kind: 'delivered'; note?: string }
  /** Try again later; `afterMs` from the platform's Retry-After, when it gave one. */
  | { kind: 'retry'; reason: string; afterMs?: number }
  /** Never retried. `alert`: the operator must act (bad credentials, a revoked token). */
  | { kind: 'permanent'; reason: string; alert?: boolean };

/** The platform's answer, as the runtime received it. */
export interface TargetAnswer {
  /** Null when no answer arrived (timeout, refused connection). */
  statusCode: number | null;
  headers: Record<string, string>;
  /** The first 64 KB of the answer's body. */
  body: string | null;
  /** Transport error, when there was no answer. */
  error: string | null;
}

/** What a target may use while building a request. */
export interface TargetContext {
  now: Date;
  /** The operator's event mapping for this target (empty: the target's own defaults). */
  mapping: readonly EventMappingRule[];
  /**
   * Side calls a target needs before its request (an OAuth token exchange). Same outbound rules
   * as deliveries (no private addresses unless allowed, a deadline).
   */
  http(request: TargetRequest): Promise<TargetAnswer>;
  /** A small per-process cache for such side results (an access token until it expires). */
  cache: { get(key: string): string | undefined; set(key: string, value: string, ttlMs: number): void };
}

/**
 * A forwarding target plugin. One target serves many traffic sources, each with its own config
 * (secret fields sealed at rest and masked in the API and console).
 */
export interface ForwardingTarget<S extends ConfigSchema = ConfigSchema> {
  /** Stable id, lower-case (`postback-url`, `meta-capi`, `google-ads`, `tiktok-events`). */
  readonly id: string;
  /** Human name shown in the console. */
  readonly displayName: string;
  /** The settings an operator gives when choosing this target for a traffic source. */
  readonly configSchema: S;
  /**
   * The platform's event names the mapping may choose from (empty: free text). A status change sent
   * by `update` may be logged under another name (see {@link TargetBuild}).
   */
  readonly events: readonly string[];
  /**
   * How the platform normalises email and phone before hashing: the runtime hands this target the
   * stored digests of these normalisations. Absent: Meta's (`DEFAULT_NORMALISATION`).
   */
  readonly normalisation?: PersonalNormalisation;
  /** The mapping used when the operator set none. */
  readonly defaultMapping: readonly EventMappingRule[];
  /** Builds the request for a conversion's first forward. */
  build(conversion: TargetConversion, config: ConfigOf<S>, context: TargetContext): TargetBuild | Promise<TargetBuild>;
  /**
   * Builds the request for a later status change (a refund, a decline): a retraction or
   * restatement where the platform has one. Absent: status changes are not sent ("not supported").
   */
  update?(conversion: TargetConversion, config: ConfigOf<S>, context: TargetContext): TargetBuild | Promise<TargetBuild>;
  /** Reads the platform's answer. */
  read(answer: TargetAnswer, config: ConfigOf<S>): TargetVerdict;
}

/** Identity helper that gives a target literal its types (config typed from its schema). */
export function defineTarget<S extends ConfigSchema>(target: ForwardingTarget<S>): ForwardingTarget<S> {
  return target;
}

/** The first rule of `mapping` that matches the conversion: its event, or null (do not send). */
export function mapEvent(mapping: readonly EventMappingRule[], conversion: Pick<TargetConversion, 'status' | 'goal'>): string | null {
  const goal = conversion.goal?.toLowerCase() ?? null;
  for (const rule of mapping) {
    if (rule.status !== undefined && rule.status !== conversion.status) continue;
    if (rule.goal !== undefined && rule.goal.toLowerCase() !== goal) continue;
    return rule.event;
  }
  return null;
}
