import {
  firedReasons,
  renderDelivery,
  withFraudDefaults,
  type ConversionVelocity,
  type FraudAssessment,
  type FraudScorer,
  type FraudVerdict,
} from '@postwire/core';
import type { BatchPlan, ConversionWrite } from './batch-plan';
import type { ConversionRates } from './conversion-rates';
import type { PluginAnswer } from './conversion-plugin-readings';

/** What the batch needs to know of a stored conversion's assessment. */
export interface StoredFraud {
  score: number;
  reasons: string[];
  /** Held, rejected as fraud, or kept from forwarding: none of its changes is forwarded. */
  blocked: boolean;
  /** Rejected as fraud (by the policy, an operator or an expired hold): no postback may change it any more. */
  rejected: boolean;
}

/** The log reason of a postback that would have changed a conversion rejected as fraud (outcome `ignored`). */
export const FRAUD_REJECTED = 'fraud_rejected';

/** One conversion's assessment as the batch stores it (`conversion_fraud`). */
export interface FraudWrite {
  conversionId: string;
  campaignId: string;
  assessment: FraudAssessment;
  holdState: 'held' | 'rejected' | null;
  heldUntil: Date | null;
  holdExpiry: 'release' | 'reject' | null;
}

/** Verdicts whose conversion is stored but told to no traffic source. */
const NOT_FORWARDED: ReadonlySet<FraudVerdict> = new Set(['hold', 'reject', 'dont_forward']);

/**
 * Scores the conversions a batch creates and applies the verdicts to the plan, before anything is
 * written: a held, rejected or not-forwarded conversion loses its deliveries; a rejected one is stored
 * declined (its history says so). Changes to a conversion that is held or blocked are not forwarded
 * either, and a conversion rejected as fraud is not changed at all ({@link keepRejected}). Every delivery
 * left gets `{fraud_score}` and `{fraud_reason}`. Test conversions are scored and their verdict applied
 * like any other's, so an operator can try a policy out with them (they stay out of reports either way).
 * Pure: `stored` is what the batch's transaction read of the changed conversions' assessments, `rates`
 * the conversion rates measured for the new ones (ConversionRateLookup), `velocity` their windowed
 * counts (Redis), when they could be measured, `plugins` what the installed scorer plugins answered on them
 * (weighed in like built-in signals; their notes, a scorer that timed out, go with the assessment).
 */
export function screenPlan(
  plan: BatchPlan,
  scorer: FraudScorer,
  stored: ReadonlyMap<string, StoredFraud>,
  rates: ReadonlyMap<string, ConversionRates> = new Map(),
  velocity?: ReadonlyMap<string, ConversionVelocity>,
  plugins?: ReadonlyMap<string, PluginAnswer>,
): FraudWrite[] {
  const writes: FraudWrite[] = [];
  const known = new Map<string, { score: number; reasons: string[] }>();
  const blocked = new Set<string>();
  const rejected = new Set<string>();
  for (const [id, fraud] of stored) {
    known.set(id, fraud);
    if (fraud.blocked) blocked.add(id);
    if (fraud.rejected) rejected.add(id);
  }
  if (rejected.size) keepRejected(plan, rejected);
  for (const conversion of plan.conversions) {
    if (!conversion.created) continue;
    const write = assess(plan, conversion, scorer, rates.get(conversion.id), velocity?.get(conversion.id), plugins?.get(conversion.id));
    writes.push(write);
    known.set(conversion.id, { score: write.assessment.score, reasons: firedReasons(write.assessment) });
    if (NOT_FORWARDED.has(write.assessment.verdict)) blocked.add(conversion.id);
    if (write.assessment.verdict === 'reject') decline(plan, conversion);
  }
  const contexts = new Map(plan.conversions.map((c) => [c.id, c.ctx]));
  const dropped = new Set<string>();
  plan.deliveries = plan.deliveries.flatMap((delivery) => {
    if (blocked.has(delivery.conversionId)) {
      dropped.add(delivery.id);
      return [];
    }
    const fraud = known.get(delivery.conversionId);
    const ctx = contexts.get(delivery.conversionId);
    if (!fraud || !ctx) return [delivery];
    const values = { ...delivery.values, fraud_score: String(fraud.score), fraud_reason: fraud.reasons.join(',') } as Record<string, string | null>;
    const request = renderDelivery(ctx.source, values);
    return [{ ...delivery, values, url: request.url, body: request.body, headers: request.headers }];
  });
  if (dropped.size) for (const result of plan.results.values()) result.deliveryIds = result.deliveryIds.filter((id) => !dropped.has(id));
  return writes;
}

function assess(
  plan: BatchPlan,
  conversion: ConversionWrite,
  scorer: FraudScorer,
  rates: ConversionRates | undefined,
  velocity: ConversionVelocity | undefined,
  plugin: PluginAnswer | undefined,
): FraudWrite {
  const { ctx } = conversion;
  const policy = withFraudDefaults(ctx.fraud.policy);
  // The creating postback's arrival is the conversion's time (its history row carries it), and its country the buyer's.
  const at = plan.history.find((h) => h.conversionId === conversion.id && h.change.from === null)?.changedAt ?? new Date();
  const country = plan.log.find((l) => l.conversionId === conversion.id && l.outcome === 'accepted')?.input.country;
  const click = { ip: ctx.fraud.ip, userAgent: ctx.fraud.userAgent, subs: ctx.subs, at: ctx.clickAt, country: ctx.fraud.country };
  const builtIn = scorer.assessConversion({ click, at, country, rates, velocity }, policy);
  const assessment = plugin ? scorer.withReadings(builtIn, plugin.readings, policy, plugin.notes) : builtIn;
  const held = assessment.verdict === 'hold';
  return {
    conversionId: conversion.id,
    campaignId: ctx.campaignId,
    assessment,
    holdState: held ? 'held' : assessment.verdict === 'reject' ? 'rejected' : null,
    heldUntil: held ? new Date(at.getTime() + policy.holdHours * 3_600_000) : null,
    holdExpiry: held ? policy.holdExpiry : null,
  };
}

/**
 * A fraud rejection sticks: only an operator's decision on a hold may change a conversion's fraud state,
 * never a network. A postback that would change a conversion rejected as fraud changes nothing of it (no
 * update, no history row, no delivery); its log line is `ignored`, reason {@link FRAUD_REJECTED}.
 */
function keepRejected(plan: BatchPlan, rejected: ReadonlySet<string>): void {
  plan.conversions = plan.conversions.filter((c) => c.created || !rejected.has(c.id));
  plan.history = plan.history.filter((h) => !rejected.has(h.conversionId));
  for (const line of plan.log) {
    if (line.conversionId !== null && rejected.has(line.conversionId) && line.outcome === 'updated') {
      line.outcome = 'ignored';
      line.reason = FRAUD_REJECTED;
    }
  }
  for (const result of plan.results.values()) {
    if (result.conversionId !== undefined && rejected.has(result.conversionId) && result.outcome === 'updated') {
      result.outcome = 'ignored';
      result.reason = FRAUD_REJECTED;
    }
  }
}

/** A conversion rejected as fraud is stored declined, and its creation history says so. */
function decline(plan: BatchPlan, conversion: ConversionWrite): void {
  conversion.next = { ...conversion.next, status: 'declined' };
  for (const h of plan.history) if (h.conversionId === conversion.id) h.change = { ...h.change, to: 'declined' };
}
