import { parseAmount, parseCurrency } from '@postwire/core';
import { z } from 'zod';

/** http(s) URL that may hold `{macro}` placeholders. */
export const urlTemplate = z
  .string()
  .max(2048)
  .refine((v) => {
    try {
      const u = new URL(v.replace(/\{[a-z0-9_]+\}/gi, 'x'));
      return u.protocol === 'http:' || u.protocol === 'https:';
    } catch {
      return false;
    }
  }, 'must be an http or https URL (macros like {click_id} allowed)');

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
const id = z.string().uuid('must be an id returned by this API');

export const createNetworkSchema = z
  .object({
    name,
    slug: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be lower-case letters, digits and dashes')
      .optional(),
    adapter: z.string().min(1).max(64).default('generic'),
    adapterConfig: z.record(z.unknown()).default({}),
    defaultCurrency: currency.optional(),
    attributionWindowDays: z.number().int().min(1).max(3650).optional(),
  })
  .strict();

export const createOfferSchema = z.object({ name, networkId: id, url: urlTemplate, payout: amount.optional() }).strict();

export const createTrafficSourceSchema = z
  .object({
    name,
    postbackUrl: urlTemplate,
    method: z.enum(['GET', 'POST']).default('GET'),
    forwardPixel: z.boolean().default(false),
  })
  .strict();

export const createCampaignSchema = z
  .object({
    name,
    trafficSourceId: id,
    offerId: id,
    externalIdParam: z
      .string()
      .regex(/^[A-Za-z0-9_.-]{1,64}$/, 'must be a query parameter name')
      .optional(),
  })
  .strict();

export const offerGoalSchema = z.object({
  goal: z.string().max(64).regex(/^[A-Za-z0-9_.:-]*$/, 'must be letters, digits, _ . : or -'),
  manyPerClick: z.boolean({ required_error: 'is required (true or false)' }),
});

export const reconciliationQuerySchema = z.object({
  campaignId: z.string().max(64).optional(),
  from: z.coerce.date().optional(),
  to: z.coerce.date().optional(),
});

export const listFilterSchema = z.object({
  clickId: z.string().max(128).optional(),
  conversionId: z.string().max(64).optional(),
  trafficSourceId: z.string().max(64).optional(),
  campaignId: z.string().max(64).optional(),
  status: z.enum(['pending', 'delivered', 'dead']).optional(),
  outcome: z.enum(['accepted', 'duplicate', 'updated', 'ignored', 'rejected', 'unattributed']).optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
});

export function slugify(text: string): string {
  const slug = text
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48);
  return slug || 'network';
}
