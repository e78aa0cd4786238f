import { CONVERSION_STATUSES, FILTER_DIMENSIONS } from '@postwire/core';
import { z } from 'zod';
import { listFilterSchema } from '../schemas/fields';
import { pagingQueryFields, rangeOrder } from '../schemas/paging';

const id = z.string().max(64);

/** `GET /api/conversions`: a page of the list (or, with `format=csv`, all its rows) and its filters; `from`/`to` bound the creation time. */
export const conversionListQuery = z
  .object({
    ...pagingQueryFields,
    clickId: z.string().max(128).optional(),
    conversionId: id.optional(),
    campaignId: id.optional(),
    networkId: id.optional(),
    trafficSourceId: id.optional().describe("Conversions of the campaigns that buy this source's traffic"),
    status: z.enum(CONVERSION_STATUSES).optional(),
    test: listFilterSchema.shape.test,
  })
  .strict()
  .superRefine(rangeOrder);

/**
 * The parameters only the stats report's range export takes (docs/reports.md): a CSV query naming one of them
 * is that export (report range and filters, by click time unless `attributeBy=conversion`, no tests), as before
 * the list had its own filters; any other CSV query is the list's rows.
 */
const REPORT_EXPORT_KEYS: readonly string[] = ['tz', 'attributeBy', ...FILTER_DIMENSIONS];

export function isReportRangeExport(query: Record<string, unknown>): boolean {
  return Object.keys(query).some((key) => REPORT_EXPORT_KEYS.includes(key));
}
