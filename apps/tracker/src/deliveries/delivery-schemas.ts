import { DELIVERY_STATUSES } from '@postwire/core';
import { z } from 'zod';
import { id, isoDateTime } from '../schemas/fields';

export const replayDeliveriesSchema = z
  .object({
    trafficSourceId: id,
    from: isoDateTime,
    to: isoDateTime,
    status: z.enum(DELIVERY_STATUSES).optional(),
  })
  .strict()
  .refine((r) => r.from.getTime() < r.to.getTime(), { path: ['to'], message: 'must be later than from' });
