import { z } from 'zod';
import { amount, currency } from '../schemas/admin-schemas';

/** `PUT /api/currency-rates`: 1 unit of `currency` = `rate` units of the report currency, from `day` (UTC) on. */
export const currencyRatesSchema = z
  .object({
    rates: z
      .array(
        z
          .object({
            currency,
            day: z
              .string()
              .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date such as 2026-03-01')
              .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), 'is not a real date'),
            rate: amount.refine((r) => /[1-9]/.test(r), 'must be greater than 0'),
          })
          .strict(),
      )
      .min(1, 'needs at least one rate')
      .max(10_000),
  })
  .strict();
