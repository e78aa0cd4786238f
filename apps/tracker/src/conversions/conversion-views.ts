import { CONVERSION_STATUSES, DELIVERY_STATUSES } from '@postwire/core';
import { z } from 'zod';
import { deliveryAttemptView } from '../deliveries';
import { conversionFraudView } from '../fraud';
import { postbackLogView } from '../postback-log';
import { decimal, timestamp, view } from '../schemas/views';

/** A conversion as the admin API lists it (amounts exact decimals, `''` the default goal). */
export const conversionView = view({
  id: z.string(),
  clickId: z.string(),
  campaignId: z.string(),
  networkId: z.string(),
  goal: z.string(),
  txid: z.string().nullable(),
  status: z.enum(CONVERSION_STATUSES),
  payout: decimal.nullable(),
  revenue: decimal.nullable(),
  currency: z.string(),
  source: z.string(),
  pixelSeen: z.boolean(),
  /** Made by a test postback: in no report or alert. */
  isTest: z.boolean(),
  createdAt: timestamp,
  updatedAt: timestamp,
});

/** One status change; `from` is null for the first status. */
export const statusChangeView = view({
  from: z.string().nullable(),
  to: z.string(),
  payoutBefore: decimal.nullable(),
  payoutAfter: decimal.nullable(),
  channel: z.string(),
  postbackId: z.string().nullable(),
  changedAt: timestamp,
});

/** One conversion with every status change it went through. */
export const conversionWithHistoryView = conversionView.extend({ history: z.array(statusChangeView) });

const traceDelivery = view({
  id: z.string(),
  trafficSourceId: z.string(),
  /** Left out for a client not allowed to see it (docs/security.md#what-a-client-sees). */
  trafficSourceName: z.string().nullable().optional(),
  event: z.string(),
  method: z.enum(['GET', 'POST']),
  /** Left out for a client not allowed to see it (docs/security.md#what-a-client-sees). */
  url: z.string().optional(),
  status: z.enum(DELIVERY_STATUSES),
  lastStatusCode: z.number().int().nullable(),
  lastError: z.string().nullable(),
  createdAt: timestamp,
  deliveredAt: timestamp.nullable(),
  attempts: z.array(deliveryAttemptView),
});

/** A conversion's whole story: its click, the postbacks, status changes and delivery attempts, and one timeline of them. */
/** How many postbacks and deliveries a trace shows at most (the newest); `postbacksCut`/`deliveriesCut` say when there were more. */
export const TRACE_LIST_LIMIT = 500;

export const conversionTraceView = view({
  conversion: conversionView,
  /** The click as stored; null once it was pruned. */
  click: view({
    id: z.string(),
    campaignId: z.string(),
    /** The offer the campaign sent this click to (its offer may have changed since); absent for clicks stored before it was recorded. */
    offerId: z.string().optional(),
    externalId: z.string().optional(),
    subs: z.record(z.string()),
    ip: z.string().optional(),
    userAgent: z.string().optional(),
    /** Ad-platform click identifiers (gclid, fbclid, ttclid …) and the landing page the link brought, for forwarding targets; cleared after 90 days. */
    adIds: z.record(z.string()).optional(),
    createdAt: timestamp,
    enrichment: z
      .object({
        country: z.string(),
        deviceType: z.string(),
        os: z.string(),
        browser: z.string(),
        referrerDomain: z.string().nullable(),
        visitorKey: z.string().optional(),
        cookieClickId: z.string().optional(),
        cost: decimal,
        costMissing: z.boolean(),
      })
      .strict()
      .optional(),
  }).nullable(),
  campaign: view({ id: z.string(), name: z.string() }).nullable(),
  network: view({ id: z.string(), name: z.string(), adapter: z.string() }).nullable(),
  /** The newest {@link TRACE_LIST_LIMIT} postbacks that named the click, oldest first; refused ones say so. */
  postbacks: z.array(postbackLogView.extend({ adapter: z.string().nullable(), guardVerdict: z.enum(['passed', 'refused']) })),
  history: z.array(statusChangeView),
  deliveries: z.array(traceDelivery),
  /** True when the click has more postbacks (or the conversion more deliveries) than the trace shows: the full lists are paged. */
  postbacksCut: z.boolean(),
  deliveriesCut: z.boolean(),
  timeline: z.array(
    view({
      at: timestamp,
      kind: z.enum(['click', 'postback', 'status', 'delivery_attempt']),
      summary: z.string(),
      ref: z.union([z.string(), z.number()]).nullable(),
    }),
  ),
  /** Fraud: the score, the verdict, every signal that ran with its value and threshold, and the hold; null when not scored (a test conversion); left out for a client not allowed the visitor's data. */
  fraud: conversionFraudView.nullable().optional(),
});
