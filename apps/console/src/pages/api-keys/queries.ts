import { useMutation, useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import { endpoints } from '../../api/endpoints';
import type { ApiKey } from '../../api/types';
import { useInvalidate } from '../../lib/mutations';

export const apiKeyKeys = { all: ['api-keys'] as const };

export const useApiKeys = () => useQuery({ queryKey: apiKeyKeys.all, queryFn: () => api.get<ApiKey[]>('/api/api-keys') });

/** Makes an admin API key; the answer holds the key itself, which the server shows this once. */
export function useCreateApiKey() {
  const keysChanged = useInvalidate(apiKeyKeys.all);
  return useMutation({ mutationFn: (body: Parameters<typeof endpoints.createApiKey>[0]) => endpoints.createApiKey<ApiKey>(body), onSuccess: keysChanged });
}

export function useRevokeApiKey() {
  const keysChanged = useInvalidate(apiKeyKeys.all);
  return useMutation({ mutationFn: (id: string) => api.delete(`/api/api-keys/${id}`), onSettled: keysChanged });
}
