// The zod fields the admin features share: ids, names, amounts, currencies, URL templates, dates, the list filters.
import { normaliseUrlTemplate, parseAmount, parseCurrency, DELIVERY_STATUSES, POSTBACK_OUTCOMES } from '@postwire/core';
import { z } from 'zod';

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

export const name = z.string().trim().min(1, 'is required').max(200);

/** Names that reach Object.prototype when used as a property name; never a parameter name. */
export const PROTOTYPE_NAMES = ['__proto__', 'constructor', 'prototype'];
export const UUID_SHAPE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const id = z.string().uuid('must be an id returned by this API');

/** Dates PostgreSQL and every report can hold; JavaScript accepts up to year 275760, which the database does not. */
const EARLIEST = Date.UTC(1970, 0, 1);
const LATEST = Date.UTC(10000, 0, 1);
export const inRange = (d: Date) => !Number.isNaN(d.getTime()) && d.getTime() >= EARLIEST && d.getTime() < LATEST;
export const RANGE_MESSAGE = 'must be a date between 1970-01-01 and 9999-12-31';

export const isoDateTime = z
  .string()
  .max(64)
  .refine((v) => /^\d{4}-\d{2}-\d{2}/.test(v) && !Number.isNaN(Date.parse(v)), 'must be an ISO 8601 date or date-time such as 2024-05-01T00:00:00Z')
  .transform((v) => new Date(v))
  .refine(inRange, RANGE_MESSAGE);

/** The filters of the admin lists (conversions, postbacks, deliveries). */
export const listFilterSchema = z.object({
  clickId: z.string().max(128).optional(),
  conversionId: z.string().max(64).optional(),
  trafficSourceId: z.string().max(64).optional(),
  campaignId: z.string().max(64).optional(),
  status: z.enum(DELIVERY_STATUSES).optional(),
  outcome: z.enum(POSTBACK_OUTCOMES).optional(),
  /** `true`: only test items (the console's test tools), `false`: none; absent: both. */
  test: z
    .enum(['true', 'false'], { errorMap: () => ({ message: 'must be true or false' }) })
    .transform((v) => v === 'true')
    .optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
});
