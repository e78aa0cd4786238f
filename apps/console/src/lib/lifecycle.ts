import { useMutation, useQuery, type QueryKey } from '@tanstack/react-query';
import { api, ApiError } from '../api/client';
import type { AnswerOf, ReadOf } from '../api/responses';
import { useInvalidate } from './mutations';

/** The catalog kinds, by their path under /api: each has archive, restore, delete, bulk and an audit trail (docs/lifecycle.md). */
export type CatalogKind = 'networks' | 'offers' | 'traffic-sources' | 'campaigns';
/** Every kind with a lifecycle: the catalog, and the accounts (users and API keys: disable, enable, delete). */
export type LifecycleKind = CatalogKind | 'users' | 'api-keys';

/** What a bulk action does to every ticked row. */
export type BulkAction = 'pause' | 'resume' | 'archive' | 'restore' | 'tag' | 'untag';
type BulkBody = NonNullable<Parameters<typeof api.post>[1]> & { action: BulkAction; ids: string[]; tags?: string[] };

/** What a lifecycle action answers for each item it touched. */
export type LifecycleState = AnswerOf<'/api/offers/{id}/archive', 'post'>;
/** A page of the audit log, newest first, with the total count. */
export type AuditPage = ReadOf<'/api/audit-log'>;
export type AuditRecord = AuditPage['items'][number];
/** The audit log's name for each kind (its `entityType`). */
export const AUDIT_ENTITY: Record<LifecycleKind, string> = {
  networks: 'network',
  offers: 'offer',
  'traffic-sources': 'trafficSource',
  campaigns: 'campaign',
  users: 'user',
  'api-keys': 'apiKey',
};

/** The audit log's query keys: the whole log and one item's history, both refreshed by every lifecycle change. */
export const auditKeys = {
  all: ['audit-log'] as const,
  page: (filters: Record<string, string | number | undefined>) => ['audit-log', 'page', filters] as const,
  of: (kind: LifecycleKind, id: string) => ['audit-log', kind, id] as const,
};

/** The catalog kinds; each one's query keys start with its path (`['offers', 'list', 'active']`). */
const CATALOG_KINDS: readonly CatalogKind[] = ['networks', 'offers', 'traffic-sources', 'campaigns'];

/**
 * What a lifecycle change to any catalog item refreshes: every catalog kind's queries and the audit log. The server
 * derives one kind's state from another's (a campaign's row says "offer paused"), so a pause of an offer would
 * otherwise leave the campaigns' cached list saying the old state until it went stale, 15 s later. Refetched now are
 * only the queries on screen; the rest are marked stale. (Edits need not: names are joined in the console from each
 * kind's own list.)
 */
const useCatalogChanged = () => useInvalidate(...CATALOG_KINDS.map((kind) => [kind]), auditKeys.all);

/** One state change of one item (`POST /api/<kind>/<id>/<verb>`). */
function useVerb(kind: LifecycleKind, verb: string, onSettled: () => Promise<void>) {
  return useMutation({ mutationFn: (id: string) => api.post<LifecycleState>(`/api/${kind}/${id}/${verb}`, {}), onSettled });
}

/**
 * The lifecycle actions on one catalog kind: pause, resume, archive, restore, delete, clone and bulk.
 * Each refreshes the catalog ({@link useCatalogChanged}) once settled, also when refused, so the screen
 * shows the server's state rather than a guess.
 */
export function useLifecycle(kind: CatalogKind) {
  const changed = useCatalogChanged();
  return {
    pause: useVerb(kind, 'pause', changed),
    resume: useVerb(kind, 'resume', changed),
    archive: useVerb(kind, 'archive', changed),
    restore: useVerb(kind, 'restore', changed),
    remove: useMutation({ mutationFn: (id: string) => api.delete<void>(`/api/${kind}/${id}`), onSettled: changed }),
    clone: useMutation({ mutationFn: (id: string) => api.post<LifecycleState>(`/api/${kind}/${id}/clone`, {}), onSettled: changed }),
    bulk: useMutation({ mutationFn: (body: BulkBody) => api.post<unknown>(`/api/${kind}/bulk`, body), onSettled: changed }),
  };
}

/** Disable and enable of an account (a user or an API key): reversible, unlike a delete. */
export function useAccountSwitch(kind: 'users' | 'api-keys', listKey: QueryKey) {
  const changed = useInvalidate(listKey, auditKeys.all);
  return { disable: useVerb(kind, 'disable', changed), enable: useVerb(kind, 'enable', changed) };
}

/** Whether a refusal is the server's "changed by someone else since you read it" (409 version_conflict). */
export function isStaleEdit(error: unknown): boolean {
  return error instanceof ApiError && error.code === 'version_conflict';
}

/** One item's history, newest first (catalog items have their own trail; accounts are read from the whole log). */
export const useHistory = (kind: LifecycleKind, id: string) =>
  useQuery({
    queryKey: auditKeys.of(kind, id),
    queryFn: () =>
      kind === 'users' || kind === 'api-keys'
        ? api.get<AuditPage>('/api/audit-log', { entityType: AUDIT_ENTITY[kind], entityId: id, limit: 50 })
        : api.get<AuditPage>(`/api/${kind}/${id}/audit-log`, { limit: 50 }),
  });

/** An item's lifecycle state, read the same way for every kind. */
export function stateOf(item: object): { paused: boolean; archived: boolean; disabled: boolean; tags: readonly string[] } {
  const fields = item as { status?: string; archivedAt?: string | null; tags?: readonly string[] };
  return {
    paused: fields.status === 'paused',
    archived: fields.status === 'archived' || Boolean(fields.archivedAt),
    disabled: fields.status === 'disabled',
    tags: fields.tags ?? [],
  };
}

/** Which list a catalog screen reads: the items in use (the server's default) or the archived ones. */
export const archivedQuery = (shown: 'active' | 'archived') => (shown === 'archived' ? { archived: 'true' } : {});
