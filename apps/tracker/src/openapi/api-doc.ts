import type { ZodTypeAny } from 'zod';

export const API_DOC = 'postwire:api-doc';

/** What the OpenAPI document says of one route; `@ApiRoute()` (api-route.decorator.ts) sets it with the route's contract. */
export interface ApiDocOptions {
  summary: string;
  /** Grouping in the docs (defaults to the first path segment after /api). */
  tag?: string;
  /** The path parameters' zod schema (an object), when the route declares one. */
  params?: ZodTypeAny;
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
