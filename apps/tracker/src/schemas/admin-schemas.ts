import { parseDurations } from '@postwire/config';
import { compareAmounts, CONVERSION_STATUSES, DELIVERY_STATUSES, normaliseUrlTemplate, parseAmount, parseCurrency, POSTBACK_OUTCOMES } from '@postwire/core';
import { RESERVED_HEADERS, type PayoutShare } from '@postwire/core';
import { COST_MODELS } from '@postwire/persistence';
import { z } from 'zod';
import { networkGuardsSchema } from '../guards/network-guards';

/**
 * http(s) URL that may hold `{macro}` placeholders in its path, query and fragment (never in the
 * scheme, host or port), stored normalised: IDNA host, everything outside printable ASCII
 * percent-encoded (see normaliseUrlTemplate), so every URL Postwire sends or redirects to is ASCII.
 */
export const urlTemplate = z
  .string()
  .max(2048)
  .transform((v, ctx) => {
    const checked = normaliseUrlTemplate(v);
    if (checked.ok && checked.url.length <= 4096) return checked.url;
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: checked.ok ? 'is too long once normalised' : checked.reason });
    return z.NEVER;
  });

/** Money arrives as a JSON string ("12.50") or number; it is kept as an exact decimal string. */
export const amount = z.union([z.string(), z.number()]).transform((v, ctx) => {
  const parsed = parseAmount(String(v));
  if (!parsed.ok) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: parsed.reason });
    return z.NEVER;
  }
  return parsed.value;
});

export const currency = z.string().transform((v, ctx) => {
  const code = parseCurrency(v);
  if (!code) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'must be an ISO 4217 currency code such as USD' });
    return z.NEVER;
  }
  return code;
});

const name = z.string().trim().min(1, 'is required').max(200);

/** Names that reach Object.prototype when used as a property name; never a parameter name. */
const PROTOTYPE_NAMES = ['__proto__', 'constructor', 'prototype'];
const UUID_SHAPE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const id = z.string().uuid('must be an id returned by this API');

export const createNetworkSchema = z
  .object({
    name,
    slug: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be lower-case letters, digits and dashes')
      // `/postback/:network` takes an id or a slug: a slug shaped like an id would be unreachable,
      // or would take over the postback URL of the network with that id.
      .refine((v) => !UUID_SHAPE.test(v), 'must not look like a network id (a UUID)')
      .optional(),
    adapter: z.string().min(1).max(64).default('generic'),
    adapterConfig: z.record(z.unknown()).default({}),
    defaultCurrency: currency.optional(),
    attributionWindowDays: z.number().int().min(1).max(3650).optional(),
    guards: networkGuardsSchema.optional(),
  })
  .strict();

/** PATCH: every field optional; `adapterConfig` and `guards` change only the keys given. The adapter itself cannot change. */
export const updateNetworkSchema = createNetworkSchema
  .omit({ adapter: true })
  .partial()
  .extend({ adapterConfig: z.record(z.unknown()).optional() })
  .strict();

export const createOfferSchema = z.object({ name, networkId: id, url: urlTemplate, payout: amount.optional() }).strict();

/** Extra request headers of a traffic source: valid names, no line breaks, none of the headers Postwire sets itself. */
const extraHeaders = z
  // Only what an HTTP header value may hold: a control or non-ASCII character would make every delivery fail later (`invalid header`).
  .record(
    z
      .string()
      .max(1024)
      .regex(/^[\t\x20-\x7e]*$/, 'must be printable ASCII (no line breaks, control or non-ASCII characters)'),
  )
  .superRefine((headers, ctx) => {
    const names = Object.keys(headers);
    if (names.length > 20) ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'at most 20 headers' });
    for (const header of names) {
      if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,64}$/.test(header))
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: [header], message: 'is not a valid header name' });
      else if (RESERVED_HEADERS.includes(header.toLowerCase()))
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: [header], message: 'is set by Postwire and cannot be overridden' });
    }
  })
  .transform((headers) => Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v])));

const payoutShare = z
  .discriminatedUnion('type', [
    z.object({ type: z.literal('percent'), value: amount.refine((v) => compareAmounts(v, '100') <= 0, 'must be a percentage from 0 to 100') }).strict(),
    z.object({ type: z.literal('fixed'), value: amount, currency: currency.optional() }).strict(),
  ])
  .transform((share): PayoutShare => (share.type === 'fixed' ? { ...share, currency: share.currency ?? null } : share));

/** A retry schedule in FORWARD_RETRY_SCHEDULE's syntax (`0,5s,5m,30m,2h`), stored as milliseconds. */
const retrySchedule = z
  .string()
  .max(300)
  .transform((raw, ctx) => {
    const parsed = parseDurations(raw);
    if (!parsed.ok) ctx.addIssue({ code: z.ZodIssueCode.custom, message: parsed.reason });
    else if (parsed.value.length > 30) ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'at most 30 attempts' });
    else if (parsed.value.some((ms) => ms > 7 * 86_400_000)) ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'each delay must be at most 7d' });
    else return parsed.value;
    return z.NEVER;
  });

/** Every forwarding setting of a traffic source; see docs/forwarding.md. `null` resets a setting to its default. */
const statusMap = z
  .object(Object.fromEntries(CONVERSION_STATUSES.map((st) => [st, z.string().min(1).max(64)])) as Record<(typeof CONVERSION_STATUSES)[number], z.ZodString>)
  .partial()
  .strict();

const trafficSourceSettings = {
  statusMap: statusMap.nullable(),
  method: z.enum(['GET', 'POST']),
  bodyFormat: z.enum(['json', 'form']),
  forwardPixel: z.boolean(),
  enabled: z.boolean(),
  goals: z.array(z.string().max(200)).max(100).nullable(),
  statuses: z.array(z.enum(CONVERSION_STATUSES)).max(CONVERSION_STATUSES.length).nullable(),
  payoutShare: payoutShare.nullable(),
  headers: extraHeaders,
  timeoutMs: z.number().int().min(100, 'must be at least 100 ms').max(120_000, 'must be at most 120000 ms (2 minutes)').nullable(),
  retrySchedule: retrySchedule.nullable(),
};

const withScheduleMs = <T extends { retrySchedule?: number[] | null }>({ retrySchedule, ...rest }: T) => ({
  ...rest,
  ...(retrySchedule === undefined ? {} : { retryScheduleMs: retrySchedule }),
});

export const createTrafficSourceSchema = z
  .object({
    name,
    /** Optional when a preset gives it. */
    postbackUrl: urlTemplate.optional(),
    /** A traffic-source preset id (GET /api/plugins lists them): its URL template and status words. */
    preset: z.string().min(1).max(64).optional(),
    /** Values for the per-account parts of a preset's URL written in capitals, e.g. {"YOUR_AID": "123"}. */
    presetValues: z.record(z.string().min(1).max(256)).optional(),
    ...trafficSourceSettings,
    method: trafficSourceSettings.method.default('GET'),
    forwardPixel: trafficSourceSettings.forwardPixel.default(false),
  })
  .partial({
    bodyFormat: true,
    enabled: true,
    goals: true,
    statuses: true,
    payoutShare: true,
    headers: true,
    timeoutMs: true,
    retrySchedule: true,
    statusMap: true,
  })
  .strict()
  .refine((v) => v.postbackUrl !== undefined || v.preset !== undefined, { path: ['postbackUrl'], message: 'is required (or give a preset)' })
  .transform(withScheduleMs);

export const updateTrafficSourceSchema = z
  .object({ name, postbackUrl: urlTemplate, ...trafficSourceSettings })
  .partial()
  .strict()
  .transform(withScheduleMs);

/** Dates PostgreSQL and every report can hold; JavaScript accepts up to year 275760, which the database does not. */
const EARLIEST = Date.UTC(1970, 0, 1);
const LATEST = Date.UTC(10000, 0, 1);
const inRange = (d: Date) => !Number.isNaN(d.getTime()) && d.getTime() >= EARLIEST && d.getTime() < LATEST;
const RANGE_MESSAGE = 'must be a date between 1970-01-01 and 9999-12-31';

const isoDateTime = z
  .string()
  .max(64)
  .refine((v) => /^\d{4}-\d{2}-\d{2}/.test(v) && !Number.isNaN(Date.parse(v)), 'must be an ISO 8601 date or date-time such as 2024-05-01T00:00:00Z')
  .transform((v) => new Date(v))
  .refine(inRange, RANGE_MESSAGE);

export const replayDeliveriesSchema = z
  .object({
    trafficSourceId: id,
    from: isoDateTime,
    to: isoDateTime,
    status: z.enum(DELIVERY_STATUSES).optional(),
  })
  .strict()
  .refine((r) => r.from.getTime() < r.to.getTime(), { path: ['to'], message: 'must be later than from' });

/** How a campaign's traffic is priced (docs/reports.md): on create and `PATCH /api/campaigns/:id`. */
const campaignCostShape = {
  costModel: z.enum(COST_MODELS).optional(),
  costValue: amount.nullable().optional(),
  costParam: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,64}$/, 'must be a query parameter name')
    .optional(),
};

export const createCampaignSchema = z
  .object({
    name,
    trafficSourceId: id,
    offerId: id,
    externalIdParam: z
      .string()
      .regex(/^[A-Za-z0-9_.-]{1,64}$/, 'must be a query parameter name')
      .refine((v) => !PROTOTYPE_NAMES.includes(v), 'is a reserved name')
      .optional(),
    ...campaignCostShape,
  })
  .strict();

export const updateCampaignCostSchema = z.object(campaignCostShape).strict();

/** The value a cost model needs: cpc, cpa and revshare (a percentage up to 100) one; none and auto none. Returns the problem, if any. */
export function costSettingsProblem(model: string, value: string | null | undefined): string | undefined {
  if (model === 'cpc' || model === 'cpa' || model === 'revshare') {
    if (value === null || value === undefined) return `is required for cost model "${model}"`;
    if (model === 'revshare' && compareAmounts(value, '100') > 0) return 'must be a percentage from 0 to 100 for revshare';
  }
  return undefined;
}

export const offerGoalSchema = z.object({
  goal: z
    .string()
    .max(64)
    .regex(/^[A-Za-z0-9_.:-]*$/, 'must be letters, digits, _ . : or -'),
  manyPerClick: z.boolean({ required_error: 'is required (true or false)' }),
});

export const reconciliationQuerySchema = z.object({
  campaignId: z.string().max(64).optional(),
  from: z.coerce.date().refine(inRange, RANGE_MESSAGE).optional(),
  to: z.coerce.date().refine(inRange, RANGE_MESSAGE).optional(),
});

export const listFilterSchema = z.object({
  clickId: z.string().max(128).optional(),
  conversionId: z.string().max(64).optional(),
  trafficSourceId: z.string().max(64).optional(),
  campaignId: z.string().max(64).optional(),
  status: z.enum(DELIVERY_STATUSES).optional(),
  outcome: z.enum(POSTBACK_OUTCOMES).optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
});

export function slugify(text: string): string {
  const slug = text
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48);
  // A name that is itself an id would give a slug shaped like one, which the slug rule refuses.
  return UUID_SHAPE.test(slug) ? `n-${slug}` : slug || 'network';
}
