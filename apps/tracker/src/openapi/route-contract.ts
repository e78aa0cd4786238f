import type { ZodTypeAny } from 'zod';
import type { ApiDocOptions } from './api-doc';

/**
 * One route's whole contract, declared once: what it takes (path parameters, query, JSON body) and
 * what it answers, as zod schemas. The same objects validate the request (a 400 naming the parameter),
 * describe the route in `/api/openapi.json`, type the handler's return value at compile time, and
 * check the answer at run time in tests (see ContractInterceptor).
 */
export interface RouteContract<R extends ZodTypeAny> extends Omit<ApiDocOptions, 'response'> {
  /** The path parameters, e.g. `z.object({ id: z.string().uuid() })`. */
  params?: ZodTypeAny;
  /**
   * The route validates its query itself, because it chooses between two schemas (the conversions list
   * or its CSV export); `query` then only documents the JSON one.
   */
  queryCheckedByHandler?: boolean;
  /** The success answer. Dates are `z.date()` (sent as ISO strings), money exact decimal strings. */
  response: R;
}
