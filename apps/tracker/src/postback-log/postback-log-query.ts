import { POSTBACK_OUTCOMES, POSTBACK_REASONS } from '@postwire/core';
import { z } from 'zod';
import { isoDateTime } from '../schemas/fields';

/** Most matching rows counted for `total`; past it the total is a lower bound (see the paged-list rules in docs/api.md). */
export const COUNT_CAP = 100_000;
/** Most rows one CSV export writes. */
export const MAX_EXPORT_ROWS = 1_000_000;

/** `GET /api/postbacks`: the page, the time range, the filters and the search. */
export const postbackListQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(500).default(50),
    offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
    /** Received at or after. */
    from: isoDateTime.optional(),
    /** Received before. */
    to: isoDateTime.optional(),
    networkId: z.string().max(64).optional(),
    campaignId: z.string().max(64).optional(),
    outcome: z.enum(POSTBACK_OUTCOMES).optional(),
    reason: z.enum(POSTBACK_REASONS).optional(),
    clickId: z.string().max(128).optional(),
    /** A click id, txid or source address, matched exactly. */
    q: z.string().trim().min(1).max(128).optional(),
    /** `true`: only the console's test postbacks, `false`: none; absent: both. */
    test: z
      .enum(['true', 'false'], { errorMap: () => ({ message: 'must be true or false' }) })
      .transform((v) => v === 'true')
      .optional(),
    /** `csv`: the filtered rows as CSV (also with `Accept: text/csv`). */
    format: z.enum(['json', 'csv']).optional(),
  })
  .refine((q) => !q.from || !q.to || q.from < q.to, { message: 'must be after from', path: ['to'] });
export type PostbackListQuery = z.output<typeof postbackListQuery>;
