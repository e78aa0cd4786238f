import { CONVERSION_STATUSES } from '@postwire/core';
import { z } from 'zod';
import { lifecycleFields } from '../lifecycle';
import { decimal, timestamp, view } from '../schemas/views';
import { trackingTokenView } from '../schemas/tracking-tokens';

/** A traffic source as the admin API shows it (a read key sees its credentials masked). */
export const trafficSourceView = view({
  id: z.string(),
  name: z.string(),
  postbackUrl: z.string(),
  method: z.enum(['GET', 'POST']),
  bodyFormat: z.enum(['json', 'form']),
  headers: z.record(z.string()),
  payoutShare: z
    .discriminatedUnion('type', [
      view({ type: z.literal('percent'), value: decimal }),
      view({ type: z.literal('fixed'), value: decimal, currency: z.string().nullable() }),
    ])
    .nullable(),
  statusMap: z.record(z.string()).nullable(),
  enabled: z.boolean(),
  forwardPixel: z.boolean(),
  goals: z.array(z.string()).readonly().nullable(),
  statuses: z.array(z.enum(CONVERSION_STATUSES)).readonly().nullable(),
  preset: z.string().nullable(),
  /** What the source fills into the campaign link (docs/tokens.md). */
  tokens: z.array(trackingTokenView),
  timeoutMs: z.number().int().nullable(),
  /** In FORWARD_RETRY_SCHEDULE's syntax (`0,5s,5m`); null: the default. */
  retrySchedule: z.string().nullable(),
  signingSecrets: z.number().int(),
  failingSince: timestamp.nullable(),
  /** Failing by the source health rules (docs/forwarding.md#source-health), and why. */
  failing: z.boolean(),
  failingReason: z.enum(['consecutive_failures', 'failure_ratio']).nullable(),
  /** Failed attempts since the last success, and attempts and failures in the last 15 minutes. */
  health: view({ consecutiveFailures: z.number().int(), recentAttempts: z.number().int(), recentFailures: z.number().int() }),
  deadDeliveries: z.number().int(),
  ...lifecycleFields,
  /** While set, deliveries to this source wait, pending, and go out on resume (docs/lifecycle.md). */
  pausedAt: timestamp.nullable(),
  createdAt: timestamp,
  updatedAt: timestamp,
});

/** A Standard Webhooks secret of a source: never the secret, except once in the answer that made it. */
export const sourceSecretView = view({ id: z.string(), createdAt: timestamp, revokedAt: timestamp.nullable() });
export const newSourceSecretView = sourceSecretView.extend({ secret: z.string() });

/** What a test delivery sent and what the source answered. */
export const testDeliveryView = view({
  ok: z.boolean(),
  /** True when only rendered (`dryRun`): nothing was sent. */
  dryRun: z.boolean(),
  /** The delivery log entry of the test (marked test); null for a dry run. */
  deliveryId: z.string().nullable(),
  /** Null when nothing is (or would be) sent: a target plugin's "not sent" or failure, its reason in `error`. */
  request: view({ method: z.enum(['GET', 'POST']), url: z.string(), body: z.string().nullable(), signed: z.boolean() }).nullable(),
  statusCode: z.number().int().nullable(),
  latencyMs: z.number(),
  responseExcerpt: z.string().nullable(),
  error: z.string().nullable(),
});

/** A campaign's own forwarding rules; each `null` field is its traffic source's. */
export const campaignForwardingRulesView = view({
  campaignId: z.string(),
  goals: z.array(z.string()).readonly().nullable(),
  statuses: z.array(z.enum(CONVERSION_STATUSES)).readonly().nullable(),
  payoutShare: trafficSourceView.shape.payoutShare,
  /** In FORWARD_RETRY_SCHEDULE's syntax; null: the source's. */
  retrySchedule: z.string().nullable(),
  /** The campaign's version (a change of its rules is a change of the campaign): send it back with the next PUT. */
  version: z.number().int(),
});

/** What a stored conversion would produce under the (draft) rules: whether it is forwarded, why not, and the exact request. */
export const forwardingPreviewView = view({
  conversionId: z.string(),
  campaignId: z.string(),
  forwarded: z.boolean(),
  reason: z.string().nullable(),
  request: view({
    method: z.enum(['GET', 'POST']),
    /** Credentials masked, as in the delivery log. */
    url: z.string(),
    body: z.string().nullable(),
    headers: z.record(z.string()),
    /** Whether Standard Webhooks signature headers would be added (the source has signing secrets). */
    signed: z.boolean(),
  }),
  /** The retry schedule that would apply, in FORWARD_RETRY_SCHEDULE's syntax. */
  retrySchedule: z.string(),
});
