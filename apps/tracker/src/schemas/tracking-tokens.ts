// The tracking tokens of traffic sources and presets: what a source fills into the campaign link (docs/tokens.md).
import { MAX_TOKENS, TOKEN_TARGETS, tokenListProblem, type TrackingToken } from '@postwire/core';
import { z } from 'zod';

/** One token a traffic source fills into the campaign link (docs/tokens.md). */
export const trackingToken = z
  .object({
    target: z.enum(TOKEN_TARGETS),
    macro: z.string().trim().min(1, 'is required').max(100),
    label: z.string().trim().min(1, 'is required').max(40),
  })
  .strict();

/** A source's tokens: at most one per target, macros that fit in a query value. */
export const trackingTokens = z
  .array(trackingToken)
  .max(MAX_TOKENS, `at most ${MAX_TOKENS} tokens (one per target)`)
  .superRefine((tokens, ctx) => {
    const problem = tokenListProblem(tokens as TrackingToken[]);
    if (problem) ctx.addIssue({ code: z.ZodIssueCode.custom, path: [problem.index, problem.field], message: problem.message });
  });

/** A token as the API shows it. */
export const trackingTokenView = z.object({ target: z.enum(TOKEN_TARGETS), macro: z.string(), label: z.string() }).strict();
