import { useMutation, useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import { endpoints } from '../../api/endpoints';
import type { AnswerOf, ReadOf } from '../../api/responses';
import { archivedQuery, auditKeys } from '../../lib/lifecycle';
import { useCreate, useInvalidate } from '../../lib/mutations';

export type Network = ReadOf<'/api/networks'>[number];

/** The networks' query keys; everything about one network sits under its id, so the list's key refreshes it all. */
export const networkKeys = {
  all: ['networks'] as const,
  list: (shown: 'active' | 'archived') => ['networks', 'list', shown] as const,
  postbackUrl: (networkId: string) => ['networks', networkId, 'postback-url'] as const,
  credentials: (networkId: string, kind: CredentialKind) => ['networks', networkId, kind] as const,
};

/** The two kinds of secret a network's postbacks can carry. */
export type CredentialKind = 'api-keys' | 'signing-secrets';

/** A postback API key or signing secret as listed (the value itself is shown once, when it is made). */
export type Credential = ReadOf<'/api/networks/{networkId}/api-keys'>[number] | ReadOf<'/api/networks/{networkId}/signing-secrets'>[number];
/** A credential just made, with its value (`key` or `secret`). */
type CreatedCredential = AnswerOf<'/api/networks/{networkId}/api-keys', 'post'> | AnswerOf<'/api/networks/{networkId}/signing-secrets', 'post'>;

/** What the test-postback tool reports: the guards' verdict and what the postback did. */
export type TestPostbackResult = AnswerOf<'/api/networks/{id}/test-postback', 'post'>;

/**
 * The networks in use (or the archived ones); other screens read it to name and pick networks, so pickers
 * never offer an archived one (only staff may read them, hence `enabled`).
 */
export const useNetworks = ({ enabled = true, shown = 'active' as 'active' | 'archived' } = {}) =>
  useQuery({ queryKey: networkKeys.list(shown), queryFn: () => api.get<Network[]>('/api/networks', archivedQuery(shown)), enabled });

/** Saves an edit; `version` is the one the form was opened with, so a colleague's change in between is refused (409). */
export function useUpdateNetwork(networkId: string) {
  const changed = useInvalidate(networkKeys.all, auditKeys.all);
  return useMutation({
    mutationFn: (body: Parameters<typeof endpoints.updateNetwork>[1]) => endpoints.updateNetwork<Network>(networkId, body),
    onSettled: changed,
  });
}

export const useCreateNetwork = (onDone: (created: Network) => void) =>
  useCreate((body: Parameters<typeof endpoints.createNetwork>[0]) => endpoints.createNetwork<Network>(body), networkKeys.all, onDone);

export const usePostbackUrl = (networkId: string) =>
  useQuery({
    queryKey: networkKeys.postbackUrl(networkId),
    queryFn: () => api.get<ReadOf<'/api/networks/{id}/postback-url'>>(`/api/networks/${networkId}/postback-url`),
  });

export const useTestPostback = (networkId: string) =>
  useMutation({ mutationFn: (body: Parameters<typeof endpoints.testPostback>[1]) => endpoints.testPostback<TestPostbackResult>(networkId, body) });

export const useCredentials = (networkId: string, kind: CredentialKind) =>
  useQuery({ queryKey: networkKeys.credentials(networkId, kind), queryFn: () => api.get<Credential[]>(`/api/networks/${networkId}/${kind}`) });

/** Makes a credential; the answer holds its value (`key` or `secret`), which the server shows this once. */
export function useCreateCredential(networkId: string, kind: CredentialKind) {
  const credentialsChanged = useInvalidate(networkKeys.credentials(networkId, kind));
  return useMutation({ mutationFn: () => api.post<CreatedCredential>(`/api/networks/${networkId}/${kind}`, {}), onSuccess: credentialsChanged });
}

export function useRevokeCredential(networkId: string, kind: CredentialKind) {
  const credentialsChanged = useInvalidate(networkKeys.credentials(networkId, kind));
  return useMutation({ mutationFn: (id: string) => api.delete(`/api/networks/${networkId}/${kind}/${id}`), onSettled: credentialsChanged });
}
