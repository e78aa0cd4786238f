import { z } from 'zod';
import { lifecycleFields } from '../lifecycle';
import { decimal, timestamp, view } from '../schemas/views';

export const offerView = view({
  id: z.string(),
  name: z.string(),
  networkId: z.string(),
  url: z.string(),
  payout: decimal.nullable(),
  ...lifecycleFields,
  /** While set, clicks on the offer's campaigns go where a paused campaign's go and are counted apart; its postbacks are still taken. */
  pausedAt: timestamp.nullable(),
  createdAt: timestamp,
});
export const offerGoalView = view({ goal: z.string(), manyPerClick: z.boolean() });
