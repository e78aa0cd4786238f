import { z } from 'zod';
import { timestamp, view } from '../schemas/views';

/** One received postback or pixel hit and what became of it. */
export const postbackLogView = view({
  id: z.string(),
  receivedAt: timestamp,
  channel: z.string(),
  networkId: z.string().nullable(),
  clickId: z.string().nullable(),
  /** Left out for a client not allowed to see it (docs/security.md#what-a-client-sees). */
  params: z.record(z.unknown()).optional(),
  canonical: z.record(z.unknown()).nullable().optional(),
  ip: z.string().nullable().optional(),
  outcome: z.string(),
  reason: z.string().nullable(),
  conversionId: z.string().nullable(),
  /** Further `duplicate` or `ignored` postbacks of the click counted on this row instead of stored one by one. */
  repeats: z.number().int(),
  /** Sent by the console's test tool. */
  isTest: z.boolean(),
});
