import {
  BUCKET_MS,
  decodeReportCursor,
  FILTER_DIMENSIONS,
  FRAUD_REASON_COMPANIONS,
  isFraudReasonReport,
  isTimeDimension,
  isTimeZone,
  parseReportBound,
  parseSort,
  REPORT_COLUMNS,
  REPORT_DIMENSIONS,
  reportQueryDigest,
  type FilterDimension,
  type ReportDimension,
  type SortKey,
} from '@postwire/core';
import { z } from 'zod';
import { inRange, RANGE_MESSAGE } from '../schemas/fields';

export const MAX_REPORT_DAYS = 400;
/** Rows a report page holds by default, and at most: the tracker's memory for a report grows with these, never with the number of groups. */
export const DEFAULT_REPORT_LIMIT = 1000;
export const MAX_REPORT_LIMIT = 10_000;
const ENTITY_FILTERS = ['campaign', 'offer', 'network', 'trafficSource'] as const;

/** Several values: repeated parameters, commas inside one, or both (`country=US,DE&country=FR`). */
const valueList = z
  .union([z.string().max(4096), z.array(z.string().max(4096)).max(100)])
  .transform((v) => (Array.isArray(v) ? v : [v]).flatMap((s) => s.split(',')).map((s) => s.trim()))
  .pipe(z.array(z.string().max(512)).min(1).max(1000));
const idList = valueList.pipe(z.array(z.string().uuid('must be ids returned by this API')));

const filterShape = Object.fromEntries(
  FILTER_DIMENSIONS.map((d) => [d, ((ENTITY_FILTERS as readonly string[]).includes(d) ? idList : valueList).optional()]),
) as Record<FilterDimension, z.ZodOptional<typeof valueList>>;

/** The time range shared by the stats report and the conversions export. */
const rangeShape = {
  from: z.string({ required_error: 'is required (a date such as 2026-03-01, or a date-time)' }).max(40),
  to: z.string({ required_error: 'is required (a date such as 2026-03-08, or a date-time); exclusive' }).max(40),
  tz: z.string().max(64).default('UTC'),
  attributeBy: z.enum(['click', 'conversion']).default('click'),
  format: z.enum(['json', 'csv']).optional(),
};

/**
 * `GET /api/reports/stats`: the query as received. {@link parseStatsQuery} adds the checks that
 * span parameters (zone, range, sort) and gives the typed request.
 */
export const statsQuerySchema = z.object({
  ...rangeShape,
  groupBy: z.string().max(200).default('day'),
  sort: z
    .string()
    .max(200)
    .optional()
    .describe(
      `Comma-separated, \`-\` for descending: a column (${REPORT_COLUMNS.join(', ')}), a groupBy dimension, or campaignName/offerName/networkName/trafficSourceName`,
    ),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_REPORT_LIMIT, `may be at most ${MAX_REPORT_LIMIT}; page with cursor`)
    .default(DEFAULT_REPORT_LIMIT)
    .describe('Rows per page'),
  cursor: z.string().max(200).optional().describe("The previous page's nextCursor"),
  offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
  compare: z
    .enum(['previous'])
    .optional()
    .describe('`previous`: also the figures of the period of the same length just before, with each change (`compare` in the answer)'),
  exact: z
    .enum(['true', 'false'], { message: 'must be true or false' })
    .optional()
    .describe(
      '`true`: a `groupBy=sub1,sub2` report over all campaigns reads the raw clicks for exact figures of every pair (under the report time limit: 503 `report_timeout` when longer) instead of the bounded pair grain (`approximation` in the answer)',
    ),
  ...filterShape,
});

/** `GET /api/conversions` as CSV: the same range and filters as the report, plus status. */
export const conversionExportQuerySchema = z.object({
  ...rangeShape,
  status: valueList.pipe(z.array(z.enum(['approved', 'pending', 'declined', 'refunded']))).optional(),
  ...filterShape,
});

export interface ParsedRange {
  from: Date;
  to: Date;
  tz: string;
  attributeBy: 'click' | 'conversion';
  format?: 'json' | 'csv';
  filters: Partial<Record<FilterDimension, string[]>>;
}

export interface ParsedStatsQuery extends ParsedRange {
  groupBy: ReportDimension[];
  sort: SortKey[];
  limit: number;
  /** Where the page starts: from the cursor, else `offset`. */
  offset: number;
  /** Binds cursors to this query (see report-cursor.ts). */
  digest: string;
  /** Compare with the period of the same length just before. */
  compare?: 'previous';
  /** Exact figures for every pair even where the pair grain could answer (`exact=true`). */
  exact?: boolean;
}

type Issue = { path: string; message: string };

function unknownKeys(input: Record<string, unknown>, known: readonly string[]): Issue | undefined {
  const extra = Object.keys(input).find((k) => !known.includes(k));
  if (extra === undefined) return undefined;
  const hint = FILTER_DIMENSIONS.join(', ');
  return { path: extra.slice(0, 64), message: `is not a parameter of this report (filters: ${hint})` };
}

function parseRange(data: z.infer<typeof statsQuerySchema> | z.infer<typeof conversionExportQuerySchema>): ParsedRange | Issue {
  if (!isTimeZone(data.tz)) return { path: 'tz', message: `"${data.tz.slice(0, 64)}" is not an IANA time zone such as UTC, Europe/Berlin or Asia/Kathmandu` };
  const from = parseReportBound(data.from, data.tz);
  if (!from.ok) return { path: 'from', message: from.reason };
  const to = parseReportBound(data.to, data.tz);
  if (!to.ok) return { path: 'to', message: to.reason };
  if (from.ms % BUCKET_MS !== 0) return { path: 'from', message: 'must fall on a quarter hour (reports count in 15-minute steps)' };
  if (to.ms % BUCKET_MS !== 0) return { path: 'to', message: 'must fall on a quarter hour (reports count in 15-minute steps)' };
  if (from.ms >= to.ms) return { path: 'to', message: 'must be later than from' };
  if (to.ms - from.ms > MAX_REPORT_DAYS * 86_400_000) return { path: 'to', message: `the range may span at most ${MAX_REPORT_DAYS} days` };
  const filters: ParsedRange['filters'] = {};
  for (const d of FILTER_DIMENSIONS) if (data[d]) filters[d] = data[d];
  return { from: new Date(from.ms), to: new Date(to.ms), tz: data.tz, attributeBy: data.attributeBy, format: data.format, filters };
}

/** Validates a stats query; an issue names the parameter at fault. */
export function parseStatsQuery(input: unknown): ParsedStatsQuery | Issue {
  const base = (input ?? {}) as Record<string, unknown>;
  const unknown = unknownKeys(base, Object.keys(statsQuerySchema.shape));
  if (unknown) return unknown;
  const result = statsQuerySchema.safeParse(base);
  if (!result.success) {
    const issue = result.error.issues[0];
    return { path: issue.path.join('.') || 'query', message: issue.message };
  }
  const data = result.data;
  const groupBy = data.groupBy.split(',').map((s) => s.trim());
  const bad = groupBy.find((d) => !(REPORT_DIMENSIONS as readonly string[]).includes(d));
  if (bad !== undefined) return { path: 'groupBy', message: `unknown dimension "${bad.slice(0, 40)}"; one of ${REPORT_DIMENSIONS.join(', ')}` };
  if (groupBy.length < 1 || groupBy.length > 3) return { path: 'groupBy', message: 'takes one to three dimensions' };
  if (new Set(groupBy).size !== groupBy.length) return { path: 'groupBy', message: 'names a dimension twice' };
  if (groupBy.filter(isTimeDimension).length > 1) return { path: 'groupBy', message: 'takes at most one of day, hour, week, month' };
  const range = parseRange(data);
  if ('path' in range) return range;
  const used = [...groupBy, ...Object.keys(range.filters)];
  const alone = isFraudReasonReport(used) ? used.find((d) => !FRAUD_REASON_COMPANIONS.includes(d)) : undefined;
  if (alone !== undefined)
    return {
      path: groupBy.includes(alone) ? 'groupBy' : alone,
      message: `${alone} cannot be combined with fraudReason: the figures per reason are kept by time, campaign, offer, network and traffic source`,
    };
  const sort = parseSort(data.sort ?? '', groupBy);
  if (!sort.ok) return { path: 'sort', message: sort.reason };
  const exact = data.exact === 'true';
  // An exact answer has other rows than the bounded one: a cursor of one is no cursor of the other.
  const digest = reportQueryDigest({ ...range, format: undefined, groupBy, sort: sort.keys, ...(exact ? { exact } : {}) });
  let offset = data.offset;
  if (data.cursor !== undefined) {
    if (offset) return { path: 'cursor', message: 'give cursor or offset, not both' };
    const cursor = decodeReportCursor(data.cursor, digest);
    if (!cursor.ok) return { path: 'cursor', message: cursor.reason };
    offset = cursor.cursor.offset;
  }
  return {
    ...range,
    groupBy: groupBy as ReportDimension[],
    sort: sort.keys,
    limit: data.limit,
    offset,
    digest,
    ...(data.compare ? { compare: data.compare } : {}),
    ...(exact ? { exact } : {}),
  };
}

/** Validates a conversions export query. */
export function parseConversionExportQuery(input: unknown): (ParsedRange & { status?: string[] }) | Issue {
  const base = (input ?? {}) as Record<string, unknown>;
  const unknown = unknownKeys(base, Object.keys(conversionExportQuerySchema.shape));
  if (unknown) return unknown;
  const result = conversionExportQuerySchema.safeParse(base);
  if (!result.success) {
    const issue = result.error.issues[0];
    return { path: issue.path.join('.') || 'query', message: issue.message };
  }
  const range = parseRange(result.data);
  if ('path' in range) return range;
  return { ...range, status: result.data.status };
}

export const reconciliationQuerySchema = z.object({
  campaignId: z.string().max(64).optional(),
  from: z.coerce.date().refine(inRange, RANGE_MESSAGE).optional(),
  to: z.coerce.date().refine(inRange, RANGE_MESSAGE).optional(),
});
