import { parseDurations } from '@postwire/config';
import { compareAmounts, CONVERSION_STATUSES, RESERVED_HEADERS, type PayoutShare } from '@postwire/core';
import { z } from 'zod';
import { tags, version } from '../lifecycle';
import { amount, currency, name, urlTemplate } from '../schemas/fields';
import { trackingTokens } from '../schemas/tracking-tokens';

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

export const payoutShare = z
  .discriminatedUnion('type', [
    z.object({ type: z.literal('percent'), value: amount.refine((v) => compareAmounts(v, '100') <= 0, 'must be a percentage from 0 to 100') }).strict(),
    z.object({ type: z.literal('fixed'), value: amount, currency: currency.optional() }).strict(),
  ])
  .transform((share): PayoutShare => (share.type === 'fixed' ? { ...share, currency: share.currency ?? null } : share));

/** A retry schedule in FORWARD_RETRY_SCHEDULE's syntax (`0,5s,5m,30m,2h`), stored as milliseconds. */
export const retrySchedule = z
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
export const statusMap = z
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
  /** What the source fills into the campaign link; on create from a preset, the preset's tokens unless given. */
  tokens: trackingTokens,
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
    tags,
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
    tokens: true,
    tags: true,
  })
  .strict()
  .refine((v) => v.postbackUrl !== undefined || v.preset !== undefined, { path: ['postbackUrl'], message: 'is required (or give a preset)' })
  .transform(withScheduleMs);

/** PATCH: any setting; `tags` replaces the list; `version` is the one the source was read with (docs/lifecycle.md). */
export const updateTrafficSourceSchema = z
  .object({ name, postbackUrl: urlTemplate, ...trafficSourceSettings, tags, version })
  .partial()
  .strict()
  .transform(withScheduleMs);
