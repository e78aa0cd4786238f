import { AUDIT_ENTITIES, LIFECYCLE_STATUSES } from '@postwire/core';
import { z } from 'zod';
import { id } from '../schemas/fields';
import { pagingQueryFields } from '../schemas/paging';

/**
 * The version an edit was made from (the `version` of the item as it was read). A console session must
 * send it; an API key may leave it out and then overwrites whatever is stored (docs/lifecycle.md).
 */
export const version = z.number({ invalid_type_error: 'must be the version number the item was read with' }).int().min(1);

/** One tag: short, no spaces at the ends, no commas (the console separates tags with them). */
export const tag = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(64, 'must be at most 64 characters')
  .regex(/^[^,]+$/, 'must not contain a comma');

/** An item's whole tag list (PATCH replaces it). */
export const tags = z
  .array(tag)
  .max(50, 'at most 50 tags')
  .transform((list) => [...new Set(list)]);

/** `GET` of a catalog list: archived items are left out unless asked for. */
export const lifecycleListQuery = z
  .object({
    archived: z
      .enum(['true', 'false', 'all'], { errorMap: () => ({ message: 'must be true (only archived), false (default: not archived) or all' }) })
      .optional(),
    status: z.enum(LIFECYCLE_STATUSES).optional(),
    tag: tag.optional(),
  })
  .strict()
  .transform((q) => ({
    archived: q.archived === 'true' ? ('only' as const) : q.archived === 'all' ? ('include' as const) : ('exclude' as const),
    status: q.status,
    tag: q.tag,
  }));

export const BULK_ACTIONS = ['pause', 'resume', 'archive', 'restore', 'tag', 'untag'] as const;

/** `POST /api/<items>/bulk`: one action on many items, all or nothing. */
export const bulkSchema = z
  .object({
    action: z.enum(BULK_ACTIONS),
    ids: z.array(id).min(1, 'must name at least one item').max(1000, 'at most 1000 items per request'),
    /** For `tag` and `untag`. */
    tags: z.array(tag).min(1).max(50).optional(),
  })
  .strict()
  .superRefine((v, ctx) => {
    if ((v.action === 'tag' || v.action === 'untag') && !v.tags)
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['tags'], message: `is required for ${v.action}` });
    if (v.action !== 'tag' && v.action !== 'untag' && v.tags)
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['tags'], message: `is only for tag and untag` });
  });

/** The audit log's filters and page (`format=csv`: every filtered entry as CSV; `from`/`to` bound the time of the change). */
export const auditQuerySchema = z
  .object({
    entityType: z.enum(AUDIT_ENTITIES).optional(),
    entityId: z.string().max(128).optional(),
    actorId: z.string().max(128).optional(),
    action: z
      .string()
      .regex(/^[a-z_]{1,32}$/, 'must be an action name such as edit or pause')
      .optional(),
    ...pagingQueryFields,
  })
  .strict();

/** The page of one item's audit trail. */
export const entityAuditQuerySchema = auditQuerySchema.pick({ from: true, to: true, action: true, actorId: true, limit: true, offset: true }).strict();
