import { CONVERSION_STATUSES } from '@postwire/core';
import { z } from 'zod';
import { version } from '../lifecycle';

/** One rule of an event mapping: status and/or goal → a platform event, or null (not sent). */
export const mappingRule = z
  .object({
    status: z.enum(CONVERSION_STATUSES).optional(),
    goal: z.string().min(1).max(200).optional(),
    event: z.string().min(1).max(100).nullable(),
  })
  .strict();

/** A traffic source's target: which one, its settings (secret ones sent back masked keep the stored value) and its event mapping. */
export const sourceTargetSchema = z
  .object({
    targetId: z.string().min(1).max(64),
    config: z.record(z.union([z.string().max(4096), z.number(), z.boolean()])).default({}),
    mapping: z.array(mappingRule).max(50).default([]),
  })
  .strict();

/**
 * `PUT …/target`: the target, and the source's `version` it was read with (a stale one is a 409 version_conflict;
 * a console session must send it, an API key may leave it out: docs/lifecycle.md).
 */
export const putSourceTargetSchema = sourceTargetSchema.extend({ version: version.optional() });

/** The preview: a stored conversion, and optionally unsaved target settings to try. */
export const targetPreviewSchema = z
  .object({
    conversionId: z.string().min(1).max(128),
    target: sourceTargetSchema.optional(),
  })
  .strict();
