import { z } from 'zod';
import { view } from '../schemas/views';
import { mappingRule } from './forwarding-target-schemas';

const configField = view({
  type: z.enum(['string', 'boolean', 'number']),
  title: z.string().optional(),
  description: z.string(),
  help: z.string().optional(),
  required: z.boolean().optional(),
  secret: z.boolean().optional(),
  enum: z.array(z.string()).optional(),
  default: z.union([z.string(), z.number(), z.boolean()]).optional(),
});

/** An installed forwarding target, as the console's target form needs it. */
export const forwardingTargetView = view({
  id: z.string(),
  displayName: z.string(),
  origin: z.string(),
  configSchema: z.record(configField),
  events: z.array(z.string()),
  defaultMapping: z.array(mappingRule),
});

/** A traffic source's target, secret settings masked. */
export const sourceTargetView = view({
  trafficSourceId: z.string(),
  targetId: z.string(),
  config: z.record(z.union([z.string(), z.number(), z.boolean()])),
  mapping: z.array(mappingRule),
  /** The traffic source's version (a target change is a change of the source): send it back with the next PUT. */
  version: z.number().int(),
});

/** What the target would send for a stored conversion (credentials masked, personal data hashed), or why nothing. */
export const targetPreviewView = view({
  conversionId: z.string(),
  targetId: z.string(),
  sent: z.boolean(),
  reason: z.string().nullable(),
  event: z.string().nullable(),
  request: view({ method: z.enum(['GET', 'POST']), url: z.string(), headers: z.record(z.string()), body: z.string().nullable() }).nullable(),
});
