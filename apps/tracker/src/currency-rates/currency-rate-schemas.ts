import { z } from 'zod';
import { amount, currency, inRange, RANGE_MESSAGE } from '../schemas/fields';

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
              .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), 'is not a real date')
              .refine((d) => inRange(new Date(`${d}T00:00:00Z`)), RANGE_MESSAGE),
            rate: amount.refine((r) => /[1-9]/.test(r), 'must be greater than 0'),
          })
          .strict(),
      )
      .min(1, 'needs at least one rate')
      .max(10_000)
      // One rate per currency and day: a second one would be a second answer to one question (and the upsert cannot take both).
      .superRefine((rates, ctx) => {
        const seen = new Map<string, number>();
        rates.forEach((r, i) => {
          const key = `${r.currency} ${r.day}`;
          const first = seen.get(key);
          if (first === undefined) seen.set(key, i);
          else
            ctx.addIssue({
              code: z.ZodIssueCode.custom,
              path: [i, 'day'],
              message: `repeats rates.${first} (${r.currency} on ${r.day}); give each currency and day once`,
            });
        });
      }),
  })
  .strict();
