import { REPORT_COLUMN_DEFS, REPORT_COLUMNS, type ReportColumn } from '@postwire/core';
import { z } from 'zod';
import { decimal, view } from '../schemas/views';

/** Pixel-only, S2S-only and both, per campaign and UTC day. */
export const reconciliationView = view({
  campaignId: z.string(),
  day: z.string(),
  pixelOnly: z.number().int(),
  s2sOnly: z.number().int(),
  both: z.number().int(),
  total: z.number().int(),
});

const count = z.number().int();
const FIGURE = { count, money: decimal, ratio: decimal.nullable() };
/** The figures of one row, or of the whole filtered set: one field per registry column (counts, exact decimal amounts, ratios or null). */
type FigureShape = { [K in ReportColumn]: (typeof FIGURE)[(typeof REPORT_COLUMN_DEFS)[K]['kind']] };
const totals = view(Object.fromEntries(REPORT_COLUMNS.map((c) => [c, FIGURE[REPORT_COLUMN_DEFS[c].kind]])) as unknown as FigureShape);

export const statsReportView = view({
  currency: z.string(),
  from: z.string().datetime(),
  to: z.string().datetime(),
  tz: z.string(),
  groupBy: z.array(z.string()),
  attributeBy: z.enum(['click', 'conversion']),
  /** A row: its group keys (with `<dimension>Name` for entity ids) and the same figures as `totals`. */
  rows: z.array(z.record(z.union([z.string(), z.number(), z.null()]))),
  totals,
  /** Groups in the whole report, shown or not. */
  totalRows: z.number().int(),
  limit: z.number().int(),
  offset: z.number().int(),
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: z.string().nullable(),
});
