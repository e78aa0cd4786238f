import type { z } from 'zod';
import { ApiError } from './api-error';

/** Validates a JSON body or query against a zod schema; the first problem becomes a 400 naming the field. */
export function validate<S extends z.ZodTypeAny>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const param = issue.path.length ? issue.path.join('.') : 'body';
  throw ApiError.badParameter(param, issue.message);
}
