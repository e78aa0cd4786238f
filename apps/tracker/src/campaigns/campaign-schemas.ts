import { compareAmounts } from '@postwire/core';
import { COST_MODELS } from '@postwire/persistence';
import { z } from 'zod';
import { tags, version } from '../lifecycle';
import { amount, id, name, PROTOTYPE_NAMES, urlTemplate } from '../schemas/fields';

/** How a campaign's traffic is priced (docs/reports.md): on create and `PATCH /api/campaigns/:id`. */
const campaignCostShape = {
  costModel: z.enum(COST_MODELS).optional(),
  costValue: amount.nullable().optional(),
  costParam: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,64}$/, 'must be a query parameter name')
    .optional(),
};

const externalIdParam = z
  .string()
  .regex(/^[A-Za-z0-9_.-]{1,64}$/, 'must be a query parameter name')
  .refine((v) => !PROTOTYPE_NAMES.includes(v), 'is a reserved name');

/** Where the campaign's clicks go while it is paused or archived; null: PAUSED_CAMPAIGN_URL (docs/lifecycle.md). */
const pausedUrl = urlTemplate.nullable();

export const createCampaignSchema = z
  .object({
    name,
    trafficSourceId: id,
    offerId: id,
    externalIdParam: externalIdParam.optional(),
    ...campaignCostShape,
    pausedUrl: pausedUrl.optional(),
    tags: tags.optional(),
  })
  .strict();

/**
 * `PATCH /api/campaigns/:id`: any field, the offer and the traffic source included. Clicks and conversions
 * already recorded keep the price they had, and each click the offer it was sent to (`clicks.offer_id`);
 * reports still group offer and source by the campaign's current ones (docs/reports.md). `version`: the one the
 * campaign was read with (docs/lifecycle.md).
 */
export const updateCampaignSchema = z
  .object({ name, trafficSourceId: id, offerId: id, externalIdParam, pausedUrl, tags, version })
  .partial()
  .extend(campaignCostShape)
  .strict();

/** The value a cost model needs: cpc, cpa and revshare (a percentage up to 100) one; none and auto none. Returns the problem, if any. */
export function costSettingsProblem(model: string, value: string | null | undefined): string | undefined {
  if (model === 'cpc' || model === 'cpa' || model === 'revshare') {
    if (value === null || value === undefined) return `is required for cost model "${model}"`;
    if (model === 'revshare' && compareAmounts(value, '100') > 0) return 'must be a percentage from 0 to 100 for revshare';
  }
  return undefined;
}
