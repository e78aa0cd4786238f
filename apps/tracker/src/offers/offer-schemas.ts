import { z } from 'zod';
import { tags, version } from '../lifecycle';
import { amount, id, name, urlTemplate } from '../schemas/fields';

export const createOfferSchema = z.object({ name, networkId: id, url: urlTemplate, payout: amount.optional(), tags: tags.optional() }).strict();

/**
 * PATCH: any field; `payout: null` clears the default payout. Conversions already recorded keep their payout;
 * clicks from now on go to the new URL (within the click route cache's few seconds).
 */
export const updateOfferSchema = z
  .object({ name, networkId: id, url: urlTemplate, payout: amount.nullable(), tags })
  .partial()
  .extend({ version: version.optional() })
  .strict();

export const offerGoalSchema = z.object({
  goal: z
    .string()
    .max(64)
    .regex(/^[A-Za-z0-9_.:-]*$/, 'must be letters, digits, _ . : or -'),
  manyPerClick: z.boolean({ required_error: 'is required (true or false)' }),
});
