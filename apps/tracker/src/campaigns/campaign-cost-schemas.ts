import { BUCKET_MS } from '@postwire/core';
import { z } from 'zod';
import { MAX_REPORT_DAYS } from '../reports';
import { amount, currency, inRange, RANGE_MESSAGE } from '../schemas/fields';

/**
 * `POST /api/campaigns/:id/costs` (and its `/preview`): replace the campaign's cost in `[from, to)`
 * by `amount` (the total for the range) or `perClick` (times the range's clicks), in `currency`
 * (default: the report currency, else converted with the rate of `from`'s UTC day).
 */
export const costCorrectionSchema = z
  .object({
    from: z.coerce.date({ errorMap: () => ({ message: 'must be an ISO date-time such as 2026-03-01T00:00:00Z' }) }).refine(inRange, RANGE_MESSAGE),
    to: z.coerce.date({ errorMap: () => ({ message: 'must be an ISO date-time such as 2026-03-08T00:00:00Z' }) }).refine(inRange, RANGE_MESSAGE),
    amount: amount.optional(),
    perClick: amount.optional(),
    currency: currency.optional(),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.amount === undefined && v.perClick === undefined)
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['amount'], message: 'is required: the total for the range (or perClick, an amount per click)' });
    else if (v.amount !== undefined && v.perClick !== undefined)
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['perClick'], message: 'cannot be sent with amount: give the total or the amount per click' });
    if (v.from.getTime() % BUCKET_MS !== 0) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['from'], message: 'must fall on a quarter hour' });
    else if (v.to.getTime() % BUCKET_MS !== 0) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['to'], message: 'must fall on a quarter hour' });
    else if (v.from.getTime() >= v.to.getTime()) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['to'], message: 'must be later than from' });
    else if (v.to.getTime() - v.from.getTime() > MAX_REPORT_DAYS * 86_400_000)
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['to'], message: `the range may span at most ${MAX_REPORT_DAYS} days` });
    else if (v.to.getTime() > Date.now())
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['to'],
        message: 'must not be in the future: a correction replaces the cost of clicks already counted',
      });
  });
