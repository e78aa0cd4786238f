import { POSTBACK_OUTCOMES, POSTBACK_REASONS } from '@postwire/core';
import { z } from 'zod';
import { pagedView } from '../schemas/paging';
import { timestamp, view } from '../schemas/views';

/** One received postback or pixel hit and what became of it. */
export const postbackLogView = view({
  id: z.string(),
  receivedAt: timestamp,
  channel: z.string(),
  networkId: z.string().nullable(),
  clickId: z.string().nullable(),
  /** Left out for a client not allowed to see it (docs/security.md#what-a-client-sees). */
  /** The raw parameters, credentials masked (`***`), personal data removed, capped for rows that booked nothing. */
  params: z.record(z.unknown()).optional(),
  canonical: z.record(z.unknown()).nullable().optional(),
  ip: z.string().nullable().optional(),
  outcome: z.enum(POSTBACK_OUTCOMES),
  /** Why, as a closed code; `reason` keeps the detail (the parameter a 400 named, the status change refused …). */
  reasonCode: z.enum(POSTBACK_REASONS).nullable(),
  reason: z.string().nullable(),
  conversionId: z.string().nullable(),
  /** Further `duplicate` or `ignored` postbacks of the click counted on this row instead of stored one by one. */
  repeats: z.number().int(),
  /** Sent by the console's test tool. */
  isTest: z.boolean(),
  /** For a refused request: the HTTP status it was answered with, its method and path. */
  httpStatus: z.number().int().nullable(),
  method: z.string().nullable(),
  path: z.string().nullable(),
});

/** A page of the postback log, with the capped total of matching rows. */
export const postbackLogPage = pagedView(postbackLogView);
