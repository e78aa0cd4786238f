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

/** What the batch needs to know of a stored conversion's assessment. */
export interface StoredFraud {
  score: number;
  reasons: string[];
  /** Held, rejected as fraud, or kept from forwarding: none of its changes is forwarded. */
  blocked: boolean;
}

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
 * either. Every delivery left gets `{fraud_score}` and `{fraud_reason}`. Test conversions are not scored.
 * Pure: `stored` is what the batch's transaction read of the changed conversions' assessments,
 * `velocity` the new conversions' windowed counts (Redis), when they could be measured.
 */
export function screenPlan(
  plan: BatchPlan,
  scorer: FraudScorer,
  stored: ReadonlyMap<string, StoredFraud>,
  velocity?: ReadonlyMap<string, ConversionVelocity>,
): FraudWrite[] {
  const writes: FraudWrite[] = [];
  const known = new Map<string, { score: number; reasons: string[] }>();
  const blocked = new Set<string>();
  for (const [id, fraud] of stored) {
    known.set(id, fraud);
    if (fraud.blocked) blocked.add(id);
  }
  for (const conversion of plan.conversions) {
    if (!conversion.created || conversion.test) continue;
    const write = assess(plan, conversion, scorer, velocity?.get(conversion.id));
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

function assess(plan: BatchPlan, conversion: ConversionWrite, scorer: FraudScorer, velocity: ConversionVelocity | undefined): FraudWrite {
  const { ctx } = conversion;
  const policy = withFraudDefaults(ctx.fraud.policy);
  // The creating postback's arrival is the conversion's time (its history row carries it).
  const at = plan.history.find((h) => h.conversionId === conversion.id && h.change.from === null)?.changedAt ?? new Date();
  const assessment = scorer.assessConversion(
    { click: { ip: ctx.fraud.ip, userAgent: ctx.fraud.userAgent, subs: ctx.subs, at: ctx.clickAt }, at, velocity },
    policy,
  );
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

/** A conversion rejected as fraud is stored declined, and its creation history says so. */
function decline(plan: BatchPlan, conversion: ConversionWrite): void {
  conversion.next = { ...conversion.next, status: 'declined' };
  for (const h of plan.history) if (h.conversionId === conversion.id) h.change = { ...h.change, to: 'declined' };
}
