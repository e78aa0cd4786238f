import { useMutation, useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import { endpoints } from '../../api/endpoints';
import type { AnswerOf, ReadOf } from '../../api/responses';
import { auditKeys, useAccountSwitch } from '../../lib/lifecycle';
import { useInvalidate } from '../../lib/mutations';

export type ApiKey = ReadOf<'/api/api-keys'>[number];
/** A key just made: the listing's fields and, this once, the key itself. */
export type CreatedApiKey = AnswerOf<'/api/api-keys', 'post'>;

export const apiKeyKeys = { all: ['api-keys'] as const };

export const useApiKeys = () => useQuery({ queryKey: apiKeyKeys.all, queryFn: () => api.get<ApiKey[]>('/api/api-keys') });

/** Makes an admin API key; the answer holds the key itself, which the server shows this once. */
export function useCreateApiKey() {
  const keysChanged = useInvalidate(apiKeyKeys.all);
  return useMutation({
    mutationFn: (body: Parameters<typeof endpoints.createApiKey>[0]) => endpoints.createApiKey<CreatedApiKey>(body),
    onSuccess: keysChanged,
  });
}

/** Renames a key; `version` is the one it was read with (a stale one is refused, 409). */
export function useRenameApiKey(keyId: string) {
  const keysChanged = useInvalidate(apiKeyKeys.all, auditKeys.all);
  return useMutation({
    mutationFn: (body: Parameters<typeof endpoints.updateApiKey>[1]) => endpoints.updateApiKey<ApiKey>(keyId, body),
    onSettled: keysChanged,
  });
}

/** Disable (refused until enabled again) and enable: unlike a revocation, reversible. */
export const useApiKeySwitch = () => useAccountSwitch('api-keys', apiKeyKeys.all);

export function useRevokeApiKey() {
  const keysChanged = useInvalidate(apiKeyKeys.all, auditKeys.all);
  return useMutation({ mutationFn: (id: string) => api.delete(`/api/api-keys/${id}`), onSettled: keysChanged });
}
