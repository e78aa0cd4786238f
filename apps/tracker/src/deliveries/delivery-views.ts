import { DELIVERY_STATUSES } from '@postwire/core';
import { z } from 'zod';
import { timestamp, view } from '../schemas/views';

/** A delivery as the admin API shows it: credentials in its URL and headers masked. */
export const deliveryView = view({
  id: z.string(),
  /** Null only for a test delivery sent from a traffic source's page. */
  conversionId: z.string().nullable(),
  trafficSourceId: z.string(),
  revision: z.number().int(),
  event: z.string(),
  method: z.enum(['GET', 'POST']),
  /** Left out for a client not allowed to see it (docs/security.md#what-a-client-sees). */
  url: z.string().optional(),
  body: z.string().nullable().optional(),
  headers: z.record(z.string()).optional(),
  status: z.enum(DELIVERY_STATUSES),
  attempts: z.number().int(),
  roundAttempts: z.number().int(),
  nextAttemptAt: timestamp,
  lastStatusCode: z.number().int().nullable(),
  lastError: z.string().nullable(),
  createdAt: timestamp,
  deliveredAt: timestamp.nullable(),
  /** A test: sent from a traffic source's page, or owed for a test conversion. */
  isTest: z.boolean(),
  /** The target plugin that built the request (null: the postback URL) and the platform event sent. */
  targetId: z.string().nullable(),
  targetEvent: z.string().nullable(),
  /** The platform refused the credentials: fix them, then replay. */
  alert: z.boolean(),
});

export const deliveryAttemptView = view({
  id: z.number().int(),
  attemptedAt: timestamp,
  /** Left out for a client not allowed to see it (docs/security.md#what-a-client-sees). */
  url: z.string().optional(),
  statusCode: z.number().int().nullable(),
  latencyMs: z.number(),
  responseSnippet: z.string().nullable().optional(),
  error: z.string().nullable(),
});

export const deliveryWithAttemptsView = deliveryView.extend({ attempts: z.array(deliveryAttemptView), attemptCount: z.number().int() });

export const replayView = view({
  trafficSourceId: z.string(),
  from: timestamp,
  to: timestamp,
  status: z.enum(DELIVERY_STATUSES).nullable(),
  replayed: z.number().int(),
  enqueued: z.number().int(),
});

export const retryView = view({ id: z.string(), status: z.literal('pending'), enqueued: z.boolean() });
