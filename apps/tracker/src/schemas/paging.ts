// The query fields and the answer shape every paged list of the admin API shares (docs/api.md, "Paged lists").
import { MAX_PAGE_OFFSET, PAGE_LIMIT } from '@postwire/core';
import { z, type ZodTypeAny } from 'zod';
import { isoDateTime } from './fields';
import { view } from './views';

/** `limit` and `offset` of a paged list. */
export const pageFields = {
  limit: z.coerce
    .number({ invalid_type_error: 'must be a whole number' })
    .int('must be a whole number')
    .min(PAGE_LIMIT.min, `must be at least ${PAGE_LIMIT.min}`)
    .max(PAGE_LIMIT.max, `may be at most ${PAGE_LIMIT.max}; page with offset, or export CSV`)
    .default(PAGE_LIMIT.default)
    .describe('Rows per page'),
  offset: z.coerce
    .number({ invalid_type_error: 'must be a whole number' })
    .int('must be a whole number')
    .min(0, 'must be 0 or more')
    .max(MAX_PAGE_OFFSET, `may be at most ${MAX_PAGE_OFFSET}; narrow the filters, or export CSV`)
    .default(0)
    .describe('Rows to skip'),
};

/** `from` (inclusive) and `to` (exclusive): the time range of a paged list. */
export const rangeFields = {
  from: isoDateTime.optional().describe('Only rows at or after this time (ISO 8601)'),
  to: isoDateTime.optional().describe('Only rows before this time (ISO 8601)'),
};

/** `format=csv`: the filtered rows as a CSV download instead of a page (so does `Accept: text/csv`). */
export const formatField = { format: z.enum(['json', 'csv']).optional().describe('csv: every filtered row as a CSV download (at most 1,000,000)') };

/** All the shared fields of a paged list's query; a list adds its own filters beside them. */
export const pagingQueryFields = { ...pageFields, ...rangeFields, ...formatField };

/** `to` must come after `from`: a check for the list's whole query schema (`.superRefine(rangeOrder)`). */
export function rangeOrder(q: { from?: Date; to?: Date }, ctx: z.RefinementCtx): void {
  if (q.from && q.to && q.to.getTime() <= q.from.getTime()) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['to'], message: 'must be later than from' });
}

/** The answer of a paged list of `item`s. */
export const pagedView = <T extends ZodTypeAny>(item: T) =>
  view({
    items: z.array(item),
    total: z.number().int().describe('Rows matching the filters, counted up to 100,000'),
    totalIsLowerBound: z.boolean().describe('True when more than 100,000 rows match: total is then 100000'),
    limit: z.number().int(),
    offset: z.number().int(),
  });
