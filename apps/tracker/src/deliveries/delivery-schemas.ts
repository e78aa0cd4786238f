import { DELIVERY_STATUSES } from '@postwire/core';
import { z } from 'zod';
import { id, isoDateTime, listFilterSchema } from '../schemas/fields';
import { pagingQueryFields, rangeOrder } from '../schemas/paging';

export const replayDeliveriesSchema = z
  .object({
    trafficSourceId: id,
    from: isoDateTime,
    to: isoDateTime,
    status: z.enum(DELIVERY_STATUSES).optional(),
  })
  .strict()
  .refine((r) => r.from.getTime() < r.to.getTime(), { path: ['to'], message: 'must be later than from' });

const listId = z.string().max(64);

/** `GET /api/deliveries`: a page of the delivery log (or, with `format=csv`, all its rows) and its filters; `from`/`to` bound the creation time. */
export const deliveryListQuery = z
  .object({
    ...pagingQueryFields,
    status: z.enum(DELIVERY_STATUSES).optional(),
    trafficSourceId: listId.optional(),
    campaignId: listId.optional().describe("Deliveries of this campaign's conversions"),
    networkId: listId.optional().describe("Deliveries of this network's conversions"),
    conversionId: listId.optional(),
    clickId: z.string().max(128).optional(),
    test: listFilterSchema.shape.test,
  })
  .strict()
  .superRefine(rangeOrder);
