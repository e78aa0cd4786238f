import { COST_MODELS } from '@postwire/persistence';
import { z } from 'zod';
import { lifecycleFields } from '../lifecycle';
import { decimal, timestamp, view } from '../schemas/views';

/** A campaign with the click URL to give its traffic source. */
export const campaignView = view({
  id: z.string(),
  name: z.string(),
  trafficSourceId: z.string(),
  offerId: z.string(),
  externalIdParam: z.string(),
  costModel: z.enum(COST_MODELS),
  costValue: decimal.nullable(),
  costParam: z.string(),
  ...lifecycleFields,
  /** While set (or while archived), clicks go to `pausedUrl`, else PAUSED_CAMPAIGN_URL, and are counted apart. */
  pausedAt: timestamp.nullable(),
  pausedUrl: z.string().nullable(),
  /** Clicks that came while the campaign was paused or archived: stored, not in its report traffic. */
  pausedClicks: z.number().int(),
  /** Set while the campaign's offer is paused: its clicks are then handled as paused clicks, whatever the campaign's own status. */
  offerPausedAt: timestamp.nullable(),
  createdAt: timestamp,
  /** The link to give the traffic source, with its tokens in their parameters (docs/tokens.md). */
  clickUrl: z.string(),
  /** What the link lacks: the source's click-id token, or its cost token for an auto-cost campaign. */
  clickUrlWarnings: z.array(view({ token: z.enum(['external_id', 'cost']), message: z.string() })),
});

export const costCorrectionView = view({
  id: z.string(),
  campaignId: z.string(),
  from: timestamp,
  to: timestamp,
  amount: decimal,
  clicks: z.number().int(),
  perClick: decimal,
  remainder: decimal,
  firstClickId: z.string().nullable(),
  /** Who set it (a user's e-mail or an API key's label); null for corrections made before the cost history. */
  setBy: z.string().nullable(),
  /** What was entered: the total for the range or an amount per click. */
  mode: z.enum(['total', 'per_click']),
  enteredValue: decimal.nullable(),
  /** The currency entered; null: the report currency. */
  currency: z.string().nullable(),
  /** What the range cost before, in the report currency. */
  replacedCost: decimal.nullable(),
  createdAt: timestamp,
});

/** What a correction would do: shown by the "Update cost" dialog before it is applied. */
export const costCorrectionPreviewView = view({
  clicks: z.number().int(),
  amount: decimal,
  perClick: decimal,
  remainder: decimal,
  rate: decimal,
  currentCost: decimal,
  currency: z.string(),
  reportCurrency: z.string(),
  replaces: z.array(costCorrectionView),
});
