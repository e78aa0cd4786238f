import { z } from 'zod';

/**
 * The pieces every response schema is made of. Answers are checked before JSON serialisation, so a
 * time is a `Date` here (sent as an ISO 8601 string, and documented so); money is an exact decimal
 * string, never a float.
 */
export const timestamp = z.date();

/** Money and rates: an exact decimal string such as `"12.500000"`. */
export const decimal = z.string().regex(/^-?\d+(\.\d+)?$/, 'must be an exact decimal string');

/** An answer object: exactly these fields, so a field added to an answer without its schema fails the tests. */
export const view = <T extends z.ZodRawShape>(shape: T) => z.object(shape).strict();

/** A path parameter naming a stored thing (an id; an unknown one is a 404, not a 400). */
export const idParam = z.string().min(1, 'is required').max(128, 'is not an id returned by this API');

/** `/:id` routes. */
export const idParams = z.object({ id: idParam });

/** A route that answers nothing (204). */
export const noContent = z.void();

/** `{ ok: true }`-style acknowledgements. */
export const done = view({ ok: z.literal(true) });
