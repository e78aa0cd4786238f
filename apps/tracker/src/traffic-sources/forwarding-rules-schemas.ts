import { CONVERSION_STATUSES } from '@postwire/core';
import { z } from 'zod';
import { version } from '../lifecycle';
import { id, urlTemplate } from '../schemas/fields';
import { payoutShare, retrySchedule, statusMap } from './traffic-source-schemas';

/**
 * `PUT /api/campaigns/:id/forwarding-rules`: the campaign's own rules over its traffic source's.
 * Each field `null` (or left out) is the source's; every field `null` removes the override.
 */
export const campaignForwardingRulesSchema = z
  .object({
    goals: z.array(z.string().max(200)).max(100).nullable().default(null),
    statuses: z.array(z.enum(CONVERSION_STATUSES)).max(CONVERSION_STATUSES.length).nullable().default(null),
    payoutShare: payoutShare.nullable().default(null),
    retrySchedule: retrySchedule.nullable().default(null),
  })
  .strict();

/**
 * `PUT …/forwarding-rules`: the rules, and the campaign's `version` they were read with (a change of them is an
 * edit of the campaign: a stale version is a 409 version_conflict; a console session must send it, an API key
 * may leave it out: docs/lifecycle.md).
 */
export const putCampaignForwardingRulesSchema = campaignForwardingRulesSchema.extend({ version: version.optional() });

/**
 * `POST /api/traffic-sources/:id/forwarding-preview`: what a stored conversion would produce under
 * the source's settings, with a draft of them (`source`) and of the campaign's override
 * (`campaignRules`; `null`: none; left out: the saved one) laid over, before they are saved.
 */
export const forwardingPreviewSchema = z
  .object({
    conversionId: id,
    source: z
      .object({
        postbackUrl: urlTemplate,
        method: z.enum(['GET', 'POST']),
        bodyFormat: z.enum(['json', 'form']),
        forwardPixel: z.boolean(),
        enabled: z.boolean(),
        goals: z.array(z.string().max(200)).max(100).nullable(),
        statuses: z.array(z.enum(CONVERSION_STATUSES)).max(CONVERSION_STATUSES.length).nullable(),
        payoutShare: payoutShare.nullable(),
        statusMap: statusMap.nullable(),
        retrySchedule: retrySchedule.nullable(),
      })
      .partial()
      .strict()
      .optional(),
    campaignRules: campaignForwardingRulesSchema.nullable().optional(),
  })
  .strict();
