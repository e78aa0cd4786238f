import { z } from 'zod';
import { amount, currency } from '../schemas/fields';

/** Values of the made-up conversion a test delivery reports; every one has a sensible default. */
export const testDeliverySchema = z
  .object({
    externalId: z.string().max(256).default('test-external-id'),
    payout: amount.default('1.00'),
    currency: currency.default('USD'),
    status: z.enum(['approved', 'pending', 'declined', 'refunded']).default('approved'),
    goal: z.string().max(64).default('default'),
    /** Only render it: the answer shows the final request, nothing is sent or logged. */
    dryRun: z.boolean().default(false),
  })
  .strict();
