import { LIFECYCLE_STATUSES } from '@postwire/core';
import { z } from 'zod';
import { pagedView } from '../schemas/paging';
import { timestamp, view } from '../schemas/views';

/** The lifecycle fields every catalog item's view carries (spread into its view schema). */
export const lifecycleFields = {
  /** Send it back with an edit: a stale one is refused (409 version_conflict). */
  version: z.number().int(),
  status: z.enum(LIFECYCLE_STATUSES),
  tags: z.array(z.string()),
  archivedAt: timestamp.nullable(),
};

/** What a lifecycle action (pause, archive, tag, clone…) answers for each item it touched. */
export const lifecycleStateView = view({
  id: z.string(),
  name: z.string(),
  ...lifecycleFields,
  pausedAt: timestamp.nullable(),
});

export const bulkResultView = view({ action: z.string(), count: z.number().int(), items: z.array(lifecycleStateView) });

export const auditActorView = view({ type: z.enum(['user', 'api_key', 'system']), id: z.string().nullable(), label: z.string().nullable() });

/** One change in the audit log: before and after as the API showed them, secrets masked. */
export const auditRecordView = view({
  id: z.string(),
  at: timestamp,
  actor: auditActorView,
  entityType: z.string(),
  entityId: z.string(),
  action: z.string(),
  before: z.unknown(),
  after: z.unknown(),
});

export const auditPageView = pagedView(auditRecordView);
