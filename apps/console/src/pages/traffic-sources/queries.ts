import { useMutation, useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import { endpoints } from '../../api/endpoints';
import type { AnswerOf, ReadOf } from '../../api/responses';
import { archivedQuery, auditKeys } from '../../lib/lifecycle';
import { useCreate, useInvalidate } from '../../lib/mutations';

export type TrafficSource = ReadOf<'/api/traffic-sources'>[number];

/** The traffic sources' query keys; a source's signing secrets sit under its id, so the list's key refreshes them too. */
export const trafficSourceKeys = {
  all: ['traffic-sources'] as const,
  list: (shown: 'active' | 'archived') => ['traffic-sources', 'list', shown] as const,
  signingSecrets: (sourceId: string) => ['traffic-sources', sourceId, 'signing-secrets'] as const,
};

/** What a test delivery to a source reports: the request sent and how the source answered. */
export type TestDeliveryResult = AnswerOf<'/api/traffic-sources/{id}/test-delivery', 'post'>;

/** A source's signing secret as listed (the value itself is shown once, when it is made). */
export type SigningSecret = ReadOf<'/api/traffic-sources/{id}/signing-secrets'>[number];

/** The traffic sources in use (or the archived ones); other screens read it to name and pick sources, never an archived one (staff only). */
export const useTrafficSources = ({ enabled = true, shown = 'active' as 'active' | 'archived' } = {}) =>
  useQuery({ queryKey: trafficSourceKeys.list(shown), queryFn: () => api.get<TrafficSource[]>('/api/traffic-sources', archivedQuery(shown)), enabled });

/** Saves an edit of the source's own fields; `version` is the one the form was opened with (a stale one is refused, 409). */
export function useEditTrafficSource(sourceId: string) {
  const changed = useInvalidate(trafficSourceKeys.all, auditKeys.all);
  return useMutation({
    mutationFn: (body: Parameters<typeof endpoints.updateTrafficSource>[1]) => endpoints.updateTrafficSource<TrafficSource>(sourceId, body),
    onSettled: changed,
  });
}

export const useCreateTrafficSource = (onDone: (created: TrafficSource) => void) =>
  useCreate((body: Parameters<typeof endpoints.createTrafficSource>[0]) => endpoints.createTrafficSource<TrafficSource>(body), trafficSourceKeys.all, onDone);

/** Sends a test delivery, or with `dryRun` only renders it (the final URL is shown before anything is sent). */
export const useTestDelivery = (sourceId: string) =>
  useMutation({ mutationFn: (body: { dryRun?: boolean } = {}) => endpoints.testDelivery<TestDeliveryResult>(sourceId, body) });

export function useUpdateTrafficSource(sourceId: string) {
  const sourcesChanged = useInvalidate(trafficSourceKeys.all, auditKeys.all);
  return useMutation({
    mutationFn: (patch: Partial<Pick<TrafficSource, 'postbackUrl' | 'enabled'>> & Pick<TrafficSource, 'version'>) =>
      api.patch<TrafficSource>(`/api/traffic-sources/${sourceId}`, patch),
    onSuccess: sourcesChanged,
  });
}

/** The source's signing secrets; only admins may list them, hence `enabled`. */
export const useSigningSecrets = (sourceId: string, { enabled = true } = {}) =>
  useQuery({
    queryKey: trafficSourceKeys.signingSecrets(sourceId),
    queryFn: () => api.get<SigningSecret[]>(`/api/traffic-sources/${sourceId}/signing-secrets`),
    enabled,
  });

/** Makes a signing secret; the answer holds its value, which the server shows this once. */
export function useCreateSigningSecret(sourceId: string) {
  const secretsChanged = useInvalidate(trafficSourceKeys.signingSecrets(sourceId));
  return useMutation({
    mutationFn: () => api.post<AnswerOf<'/api/traffic-sources/{id}/signing-secrets', 'post'>>(`/api/traffic-sources/${sourceId}/signing-secrets`, {}),
    onSuccess: secretsChanged,
  });
}

/** One token of a source: which Postwire parameter its macro fills in the campaign link. */
export type TrackingToken = TrafficSource['tokens'][number];

/** Replaces the source's tokens; every campaign link of the source changes with them. */
export function useSaveTokens(source: Pick<TrafficSource, 'id'> & { version?: number }) {
  // The campaigns' links are built from the tokens, so their list is read again too.
  const changed = useInvalidate(trafficSourceKeys.all, ['campaigns']);
  return useMutation({
    mutationFn: (tokens: TrackingToken[]) =>
      api.patch<TrafficSource>(`/api/traffic-sources/${source.id}`, { tokens, ...(source.version !== undefined ? { version: source.version } : {}) }),
    onSuccess: changed,
  });
}

/** The request a stored conversion would produce under draft rules (see forwarding-rules.tsx). */
export type ForwardingPreview = AnswerOf<'/api/traffic-sources/{id}/forwarding-preview', 'post'>;
export interface ForwardingPreviewBody {
  conversionId: string;
  source?: Record<string, unknown>;
  campaignRules?: Record<string, unknown> | null;
}

export const useForwardingPreview = (sourceId: string) =>
  useMutation({ mutationFn: (body: ForwardingPreviewBody) => api.post<ForwardingPreview>(`/api/traffic-sources/${sourceId}/forwarding-preview`, body) });

/**
 * Saves a source's forwarding rules: statuses, goals, payout share, retry schedule (`null` puts one back to its
 * default), with the source's `version` as the rules were read (a stale one is a 409). Settled, also when refused,
 * it refreshes the sources and the audit log, so a conflict shows the server's current rules.
 */
export function useSaveSourceRules(sourceId: string) {
  const changed = useInvalidate(trafficSourceKeys.all, auditKeys.all);
  return useMutation({
    mutationFn: (patch: Record<string, unknown> & Pick<TrafficSource, 'version'>) => api.patch<TrafficSource>(`/api/traffic-sources/${sourceId}`, patch),
    onSettled: changed,
  });
}

/** Recent conversions to pick one for the rules preview (the newest 50: the first page). */
export const useRecentConversions = () =>
  useQuery({
    queryKey: ['conversions', 'recent'],
    queryFn: () => api.get<ReadOf<'/api/conversions'>>('/api/conversions', { limit: 50 }),
    select: (page) => page.items,
  });

/** An installed forwarding target: its settings schema, the platform's events and its default mapping. */
export type ForwardingTarget = ReadOf<'/api/forwarding-targets'>[number];
/** A traffic source's target, secret settings masked. */
export type SourceTarget = ReadOf<'/api/traffic-sources/{id}/target'>;
/** What the target would send for a stored conversion, or why nothing. */
export type TargetPreview = AnswerOf<'/api/traffic-sources/{id}/target/preview', 'post'>;
export type TargetBody = Pick<SourceTarget, 'targetId' | 'config' | 'mapping'>;

export const useForwardingTargets = () =>
  useQuery({ queryKey: ['forwarding-targets'], queryFn: () => api.get<ForwardingTarget[]>('/api/forwarding-targets'), staleTime: 60_000 });

export const useSourceTarget = (sourceId: string) =>
  useQuery({ queryKey: [...trafficSourceKeys.all, sourceId, 'target'], queryFn: () => api.get<SourceTarget>(`/api/traffic-sources/${sourceId}/target`) });

/**
 * Chooses the source's target; a secret sent back masked keeps the stored one. `version` is the source's as the
 * target was read (a stale one is a 409). Settled, also when refused, it refreshes the source (its version moved)
 * and its target, so a conflict shows the server's current state.
 */
export function useSaveSourceTarget(sourceId: string) {
  const changed = useInvalidate(trafficSourceKeys.all, auditKeys.all);
  return useMutation({
    mutationFn: (body: TargetBody & { version: number }) => api.put<SourceTarget>(`/api/traffic-sources/${sourceId}/target`, body),
    onSettled: changed,
  });
}

export const useTargetPreview = (sourceId: string) =>
  useMutation({
    mutationFn: (body: { conversionId: string; target: TargetBody }) => api.post<TargetPreview>(`/api/traffic-sources/${sourceId}/target/preview`, body),
  });
