import { z } from 'zod';
import { amount, id, name, urlTemplate } from '../schemas/fields';

export const createOfferSchema = z.object({ name, networkId: id, url: urlTemplate, payout: amount.optional() }).strict();

export const offerGoalSchema = z.object({
  goal: z
    .string()
    .max(64)
    .regex(/^[A-Za-z0-9_.:-]*$/, 'must be letters, digits, _ . : or -'),
  manyPerClick: z.boolean({ required_error: 'is required (true or false)' }),
});
