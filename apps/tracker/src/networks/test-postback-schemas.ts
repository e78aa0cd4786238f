import { z } from 'zod';
import { amount } from '../schemas/fields';

/** A test postback: the click to convert (optional; without one the outcome is `unattributed`) and the conversion's values. */
export const testPostbackSchema = z
  .object({
    clickId: z.string().trim().min(1).max(128).optional(),
    payout: amount.default('1.00'),
    txid: z.string().max(128).optional(),
    /** Extra query parameters, for adapters whose format needs more (they override the filled-in template). */
    params: z.record(z.string().max(1024)).optional(),
    /** "Forward too": the test conversion is forwarded to the campaign's traffic source like a real one (marked test in the delivery log). */
    forward: z.boolean().default(false),
  })
  .strict();
