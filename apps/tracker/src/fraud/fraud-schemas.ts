import {
  checkOperatorLists,
  DEFAULT_CONVERSION_RATE_SETTINGS,
  FRAUD_POLICY_LIMITS,
  FRAUD_REASON_CODES,
  FRAUD_VERDICTS,
  parseCountryCode,
  SUB_PARAMS,
  VELOCITY_THRESHOLD_MAX,
  PLUGIN_REASON_CODE,
  type FraudPolicy,
  type PluginReasonCode,
} from '@postwire/core';
import { z } from 'zod';
import { id, listFilterSchema, urlTemplate } from '../schemas/fields';

const score = z.number().int('must be a whole number').min(0).max(100);
const seconds = z
  .number()
  .min(0)
  .max(365 * 86400)
  .nullable();
const limits = FRAUD_POLICY_LIMITS;
const countryCode = z
  .string()
  .max(8)
  .transform((text, ctx) => parseCountryCode(text) ?? (ctx.addIssue({ code: 'custom', message: 'not an ISO 3166-1 alpha-2 country code' }), z.NEVER));
/** A conversion rate as a fraction: 0.125 is 12.5 %. */
const rate = z.number().min(0, 'must be a fraction from 0 to 1 (0.125 is 12.5 %)').max(1, 'must be a fraction from 0 to 1 (0.125 is 12.5 %)');

/** `geoMismatch`: groups of countries counted as one market. */
const geoMismatchSchema = z.object({ sameMarket: z.array(z.array(countryCode).min(2).max(300)).max(limits.sameMarketGroups) }).strict();

/**
 * `conversionRate`: rate bounds per traffic source and zone; the fields left out take their defaults
 * (DEFAULT_CONVERSION_RATE_SETTINGS), null turns the check off. At least one bound must be set.
 */
const conversionRateSchema = z
  .object({
    minClicks: z.number().int().min(1).max(100_000_000).default(DEFAULT_CONVERSION_RATE_SETTINGS.minClicks),
    maxRate: rate.nullable().default(DEFAULT_CONVERSION_RATE_SETTINGS.maxRate),
    minRate: rate.nullable().default(DEFAULT_CONVERSION_RATE_SETTINGS.minRate),
    subParam: z.enum(SUB_PARAMS).nullable().default(DEFAULT_CONVERSION_RATE_SETTINGS.subParam),
    windowDays: z.number().int().min(1).max(limits.conversionRateWindowDaysMax).default(DEFAULT_CONVERSION_RATE_SETTINGS.windowDays),
  })
  .strict()
  .superRefine((settings, ctx) => {
    if (settings.maxRate === null && settings.minRate === null)
      ctx.addIssue({ code: 'custom', path: ['maxRate'], message: 'set maxRate or minRate (or send conversionRate: null)' });
    if (settings.maxRate !== null && settings.minRate !== null && settings.minRate >= settings.maxRate)
      ctx.addIssue({ code: 'custom', path: ['minRate'], message: 'must be below maxRate' });
  })
  .nullable();
/** The most events a window may hold before its signal fires; null turns the signal off. */
const windowMax = z.number().int('must be a whole number').min(1).max(VELOCITY_THRESHOLD_MAX).nullable();

/**
 * A weight's key: a built-in reason code, or a scorer plugin's `<pluginId>:<code>` (whether that plugin
 * is installed and declares it is checked against the plugin registry by the controller: `weights.<code>`).
 */
const weightCode = z.union([z.enum(FRAUD_REASON_CODES), z.string().regex(PLUGIN_REASON_CODE, 'not a reason code') as unknown as z.ZodType<PluginReasonCode>]);

/**
 * A fraud policy as the admin API takes it: every field optional (what is left out keeps its default),
 * every list bounded, every IP range and user-agent pattern checked; a bad one is a 400 naming it
 * (`blockedIps.3`, `blockedUserAgents.0`).
 */
export const fraudPolicySchema = z
  .object({
    flagScore: score,
    actionScore: score,
    action: z.enum(FRAUD_VERDICTS).exclude(['allow']),
    ctitMinSeconds: seconds,
    ctitMaxSeconds: seconds,
    weights: z.record(weightCode, score),
    blockedIps: z.array(z.string().max(64)).max(limits.blockedIps),
    blockedUserAgents: z.array(z.string()).max(limits.blockedUserAgents),
    blockedSubs: z
      .array(z.object({ param: z.enum(SUB_PARAMS), values: z.array(z.string().min(1).max(512)).min(1).max(limits.blockedSubValues) }).strict())
      .max(SUB_PARAMS.length),
    extraHostingAsns: z.array(z.number().int().min(1).max(4_294_967_295)).max(limits.extraHostingAsns),
    botSafeUrl: urlTemplate.nullable(),
    holdHours: z.number().int().min(1).max(limits.holdHoursMax),
    holdExpiry: z.enum(['release', 'reject']),
    geoMismatch: geoMismatchSchema,
    conversionRate: conversionRateSchema,
    velocity: z
      .object({
        ipClicksPerMinute: windowMax,
        ipUaClicksPerMinute: windowMax,
        subClicksPerMinute: windowMax,
        subParams: z.array(z.enum(SUB_PARAMS)).max(SUB_PARAMS.length),
        ipConversionsPerHour: windowMax,
      })
      .partial()
      .strict(),
    duplicates: z.object({ ipConversionsPerDay: windowMax, deviceConversionsPerDay: windowMax }).partial().strict(),
  })
  .partial()
  .strict()
  .superRefine((policy, ctx) => {
    for (const problem of checkOperatorLists({ blockedIps: policy.blockedIps ?? [], blockedUserAgents: policy.blockedUserAgents ?? [] }))
      ctx.addIssue({ code: 'custom', path: problem.field.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p)), message: problem.message });
    if (policy.ctitMinSeconds != null && policy.ctitMaxSeconds != null && policy.ctitMaxSeconds <= policy.ctitMinSeconds)
      ctx.addIssue({ code: 'custom', path: ['ctitMaxSeconds'], message: 'must be above ctitMinSeconds' });
    if (policy.flagScore !== undefined && policy.actionScore !== undefined && policy.actionScore < policy.flagScore)
      ctx.addIssue({ code: 'custom', path: ['actionScore'], message: 'must be at or above flagScore' });
  }) satisfies z.ZodType<Partial<FraudPolicy>, z.ZodTypeDef, unknown>;

/** `GET /api/fraud/held`: one page of the review queue, optionally one campaign's. */
export const heldQuery = z
  .object({
    campaignId: id.optional(),
    /** `true`: only test conversions (the console's test tools), `false`: none; absent: both. */
    test: listFilterSchema.shape.test,
    limit: z.coerce.number().int().min(1).max(500).default(50),
    offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  })
  .strict();

/** Release or reject, one conversion or many. */
export const holdDecisionBody = z.object({ conversionIds: z.array(id).min(1, 'names no conversion').max(500) }).strict();
