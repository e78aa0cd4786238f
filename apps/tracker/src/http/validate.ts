import type { z } from 'zod';
import { ApiError } from './api-error';

/** Validates a JSON body or query against a zod schema; the first problem becomes a 400 naming the field. */
export function validate<S extends z.ZodTypeAny>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  // A strict schema's unknown field: name the field itself, not the object holding it.
  const path = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0]] : issue.path;
  const param = path.length ? path.join('.') : 'body';
  throw ApiError.badParameter(param, issue.code === 'unrecognized_keys' ? 'is not a field this request takes' : issue.message);
}
