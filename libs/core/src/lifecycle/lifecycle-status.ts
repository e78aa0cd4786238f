/** Where a catalog item (network, offer, traffic source, campaign) stands in its lifecycle; see docs/lifecycle.md. */
export const LIFECYCLE_STATUSES = ['active', 'paused', 'archived'] as const;
export type LifecycleStatus = (typeof LIFECYCLE_STATUSES)[number];

/** The kinds of things that have a lifecycle and an audit trail. */
export const LIFECYCLE_ENTITIES = ['network', 'offer', 'trafficSource', 'campaign', 'user', 'apiKey'] as const;
export type LifecycleEntity = (typeof LIFECYCLE_ENTITIES)[number];

/** What the audit log records changes of: the items with a lifecycle, and the currency rates reports convert with. */
export const AUDIT_ENTITIES = [...LIFECYCLE_ENTITIES, 'currencyRate'] as const;

/**
 * One status from the two independent marks: archiving wins over pausing, because an archived item
 * is out of sight whatever else it is (an archived campaign's link answers as a paused one's).
 */
export function lifecycleStatus(marks: { pausedAt?: Date | null; archivedAt?: Date | null }): LifecycleStatus {
  if (marks.archivedAt) return 'archived';
  if (marks.pausedAt) return 'paused';
  return 'active';
}

/**
 * Which items a list shows: by default the ones not archived; `archived: 'only'` the archived ones,
 * `'include'` all. `tag` keeps items carrying that tag, `status` items in that status.
 */
export interface LifecycleListFilter {
  archived?: 'exclude' | 'only' | 'include';
  status?: LifecycleStatus;
  tag?: string;
}

export function matchesLifecycleFilter(
  item: { pausedAt?: Date | null; archivedAt?: Date | null; tags?: readonly string[] },
  filter: LifecycleListFilter,
): boolean {
  const status = lifecycleStatus(item);
  if (filter.status !== undefined) {
    if (status !== filter.status) return false;
  } else {
    const archived = filter.archived ?? 'exclude';
    if (archived === 'exclude' && status === 'archived') return false;
    if (archived === 'only' && status !== 'archived') return false;
  }
  return filter.tag === undefined || (item.tags ?? []).includes(filter.tag);
}
