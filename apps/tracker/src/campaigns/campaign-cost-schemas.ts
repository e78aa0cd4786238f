import { BUCKET_MS } from '@postwire/core';
import { z } from 'zod';
import { MAX_REPORT_DAYS } from '../reports';
import { amount } from '../schemas/admin-schemas';

/** `POST /api/campaigns/:id/costs`: replace the campaign's cost in `[from, to)` by `amount`. */
export const costCorrectionSchema = z
  .object({
    from: z.coerce.date({ errorMap: () => ({ message: 'must be an ISO date-time such as 2026-03-01T00:00:00Z' }) }),
    to: z.coerce.date({ errorMap: () => ({ message: 'must be an ISO date-time such as 2026-03-08T00:00:00Z' }) }),
    amount,
  })
  .strict()
  .superRefine((v, ctx) => {
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
