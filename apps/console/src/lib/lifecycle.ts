import { useMutation, useQuery, type QueryKey } from '@tanstack/react-query';
import { api, ApiError } from '../api/client';
import { useInvalidate } from './mutations';

/** The kinds of item that have a lifecycle, by their path under /api. */
export type LifecycleKind = 'networks' | 'offers' | 'traffic-sources' | 'campaigns' | 'users' | 'api-keys';

/** What a bulk action does to every ticked row. */
export type BulkAction = 'pause' | 'resume' | 'archive' | 'restore' | 'tag';

/** The audit log's query keys: the whole log and one item's history, both refreshed by every lifecycle change. */
export const auditKeys = {
  all: ['audit-log'] as const,
  of: (kind: LifecycleKind, id: string) => ['audit-log', kind, id] as const,
};

/**
 * The lifecycle actions on one kind of item: pause, resume, archive, restore, delete, clone and bulk.
 * Each refreshes the kind's list (`listKey`) and the audit log once settled, also when refused, so the
 * screen shows the server's state rather than a guess.
 */
export function useLifecycle(kind: LifecycleKind, listKey: QueryKey) {
  const changed = useInvalidate(listKey, auditKeys.all);
  return {
    pause: useVerb(kind, 'pause', changed),
    resume: useVerb(kind, 'resume', changed),
    archive: useVerb(kind, 'archive', changed),
    restore: useVerb(kind, 'restore', changed),
    remove: useMutation({ mutationFn: (id: string) => api.delete<unknown>(`/api/${kind}/${id}`), onSettled: changed }),
    clone: useMutation({
      mutationFn: ({ id, name }: { id: string; name?: string }) => api.post<{ id: string; name: string }>(`/api/${kind}/${id}/clone`, name ? { name } : {}),
      onSettled: changed,
    }),
    bulk: useMutation({
      mutationFn: ({ action, ids, tags }: { action: BulkAction; ids: string[]; tags?: string[] }) =>
        api.post<unknown>(`/api/${kind}/bulk`, { action, ids, ...(tags ? { tags } : {}) }),
      onSettled: changed,
    }),
  };
}

/** One state change of one item (`POST /api/<kind>/<id>/<verb>`). */
function useVerb(kind: LifecycleKind, verb: 'pause' | 'resume' | 'archive' | 'restore', onSettled: () => Promise<void>) {
  return useMutation({ mutationFn: (id: string) => api.post<unknown>(`/api/${kind}/${id}/${verb}`, {}), onSettled });
}

/** Whether a refusal is the server's "changed by someone else since you loaded it" (a stale edit). */
export function isStaleEdit(error: unknown): boolean {
  return error instanceof ApiError && error.status === 409 && /stale|version|changed/i.test(`${error.code} ${error.message}`);
}

/** One change recorded by the audit log: who, when, what, and the item before and after. */
export interface AuditEntry {
  id: string;
  at: string;
  actor: { id?: string | null; email?: string | null; kind?: string | null } | null;
  action: string;
  entityType: string;
  entityId: string;
  entityName?: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

/** A page of the audit log, newest first; `nextCursor` reads the next (older) page. */
export interface AuditPage {
  entries: AuditEntry[];
  nextCursor: string | null;
}

/** One item's history, newest first. */
export const useHistory = (kind: LifecycleKind, id: string) =>
  useQuery({ queryKey: auditKeys.of(kind, id), queryFn: () => api.get<AuditPage>('/api/audit-log', { entityType: kind, entityId: id, limit: 50 }) });

/** The lifecycle fields an item of any kind may carry in its view. */
interface LifecycleFields {
  paused?: boolean | null;
  archived?: boolean | null;
  archivedAt?: string | null;
  tags?: readonly string[] | null;
}

/** An item's lifecycle state, read the same way for every kind. */
export function stateOf(item: object): { paused: boolean; archived: boolean; tags: readonly string[] } {
  const fields = item as LifecycleFields;
  return { paused: Boolean(fields.paused), archived: Boolean(fields.archived ?? fields.archivedAt), tags: fields.tags ?? [] };
}
