import { SetMetadata } from '@nestjs/common';
import type { ZodTypeAny } from 'zod';

export const API_DOC = 'postwire:api-doc';

/** What the OpenAPI document says of one route, next to the route itself. */
export interface ApiDocOptions {
  summary: string;
  /** Grouping in the docs (defaults to the first path segment after /api). */
  tag?: string;
  /** The zod schema the handler validates its query with (the same object, not a copy). */
  query?: ZodTypeAny;
  /** The zod schema the handler validates its JSON body with. */
  body?: ZodTypeAny;
  /** The answer's schema when there is one in zod; otherwise `response` is described in words. */
  response?: ZodTypeAny;
  /** Words for the success answer, e.g. "the network" (default "OK"). */
  responseDescription?: string;
  /** A CSV or other non-JSON answer: its media type. */
  responseMediaType?: string;
}

/**
 * Documents a route in `/api/openapi.json`. Method, path, status code and who may call it are read
 * from the route's own Nest decorators and guards; this adds the summary and the zod schemas the
 * handler validates with, so the document cannot drift from what is enforced.
 */
export const ApiDoc = (options: ApiDocOptions) => SetMetadata(API_DOC, options);
