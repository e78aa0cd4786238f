import { FRAUD_REASON_CODES, FRAUD_VERDICTS, PLUGIN_REASON_CODE, SUB_PARAMS, type PluginReasonCode } from '@postwire/core';
import { z } from 'zod';
import { decimal, timestamp, view } from '../schemas/views';
import { fraudPolicySchema } from './fraud-schemas';

/** A built-in reason code, or a scorer plugin's namespaced one (`<pluginId>:<code>`). */
export const scorerReasonCode = z.union([z.enum(FRAUD_REASON_CODES), z.string().regex(PLUGIN_REASON_CODE) as unknown as z.ZodType<PluginReasonCode>]);

/** One signal as it was evaluated: fired or not, what was measured, the bound, its weight. */
export const fraudSignalView = view({
  code: scorerReasonCode,
  fired: z.boolean(),
  value: z.string(),
  threshold: z.string(),
  weight: z.number(),
  measured: z.number().optional(),
});

/** A conversion's fraud assessment and its hold, as the trace and the review queue show it. */
export const conversionFraudView = view({
  conversionId: z.string(),
  campaignId: z.string(),
  score: z.number(),
  verdict: z.enum(FRAUD_VERDICTS),
  signals: z.array(fraudSignalView),
  /** What did not run when it was scored: `scorer ip-reputation timed out after 300 ms`. */
  notes: z.array(z.string()),
  holdState: z.enum(['held', 'released', 'rejected']).nullable(),
  heldUntil: timestamp.nullable(),
  holdExpiry: z.enum(['release', 'reject']).nullable(),
  decidedBy: z.string().nullable(),
  decidedAt: timestamp.nullable(),
  scoredAt: timestamp,
});

/** A held conversion in the review queue. */
export const heldConversionView = conversionFraudView.extend({
  clickId: z.string(),
  goal: z.string(),
  status: z.string(),
  payout: decimal.nullable(),
  currency: z.string(),
  txid: z.string().nullable(),
  /** A test conversion (made by the console's test tools): held like any other, never the network's money. */
  isTest: z.boolean(),
});

export const heldPageView = view({
  items: z.array(heldConversionView),
  total: z.number(),
  totalIsLowerBound: z.boolean(),
  limit: z.number(),
  offset: z.number(),
});

/** Every field of a policy, filled in. */
const fullPolicyView = view({
  flagScore: z.number(),
  actionScore: z.number(),
  action: z.enum(FRAUD_VERDICTS),
  ctitMinSeconds: z.number().nullable(),
  ctitMaxSeconds: z.number().nullable(),
  weights: z.record(z.string(), z.number()),
  blockedIps: z.array(z.string()),
  blockedUserAgents: z.array(z.string()),
  blockedSubs: z.array(view({ param: z.string(), values: z.array(z.string()) })),
  extraHostingAsns: z.array(z.number()),
  botSafeUrl: z.string().nullable(),
  holdHours: z.number(),
  holdExpiry: z.enum(['release', 'reject']),
  geoMismatch: view({ sameMarket: z.array(z.array(z.string())) }).optional(),
  conversionRate: view({
    minClicks: z.number(),
    maxRate: z.number().nullable(),
    minRate: z.number().nullable(),
    subParam: z.enum(SUB_PARAMS).nullable(),
    windowDays: z.number(),
  })
    .nullable()
    .optional(),
  velocity: view({
    ipClicksPerMinute: z.number().nullable(),
    ipUaClicksPerMinute: z.number().nullable(),
    subClicksPerMinute: z.number().nullable(),
    subParams: z.array(z.string()),
    ipConversionsPerHour: z.number().nullable(),
  }),
  duplicates: view({ ipConversionsPerDay: z.number().nullable(), deviceConversionsPerDay: z.number().nullable() }),
});

/**
 * A campaign's or offer's policy: what is stored (only what it changes), what applies (over the
 * defaults), and Postwire's defaults themselves (every reason's weight among them), so a form can tell
 * a field set here from a default and put a default back.
 */
export const fraudPolicyView = view({
  stored: fraudPolicySchema,
  effective: fullPolicyView,
  defaults: fullPolicyView,
});

/** What a release or rejection did: the conversions decided (ids not held are skipped) and the deliveries queued. */
export const holdDecisionView = view({ decided: z.array(z.string()), skipped: z.array(z.string()), deliveryIds: z.array(z.string()) });
