import { POSTBACK_OUTCOMES, POSTBACK_REASONS } from '@postwire/core';
import { z } from 'zod';
import { pagingQueryFields, rangeOrder } from '../schemas/paging';

/** `GET /api/postbacks`: the shared paging fields (page, time range, format) and the log's own filters and search. */
export const postbackListQuery = z
  .object({
    ...pagingQueryFields,
    networkId: z.string().max(64).optional().describe('Only postbacks to this network'),
    campaignId: z.string().max(64).optional().describe('Only postbacks for clicks of this campaign (refused requests without a click never match)'),
    outcome: z.enum(POSTBACK_OUTCOMES).optional(),
    reason: z.enum(POSTBACK_REASONS).optional().describe('The reason code'),
    clickId: z.string().max(128).optional(),
    q: z.string().trim().min(1).max(128).optional().describe('A click id, txid or source address, matched exactly'),
    test: z
      .enum(['true', 'false'], { errorMap: () => ({ message: 'must be true or false' }) })
      .transform((v) => v === 'true')
      .optional()
      .describe("true: only the console's test postbacks; false: none"),
  })
  .superRefine(rangeOrder);
export type PostbackListQuery = z.output<typeof postbackListQuery>;
