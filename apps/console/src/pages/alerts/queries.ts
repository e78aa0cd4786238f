import { useMutation, useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import type { AnswerOf, ReadOf } from '../../api/responses';
import { useInvalidate } from '../../lib/mutations';

export type AlertWebhook = ReadOf<'/api/alert-webhooks'>[number];
export type AlertWebhookSend = ReadOf<'/api/alert-webhooks/{id}/sends'>[number];
/** A webhook just added: the listing's fields and, this once, its signing secret. */
export type CreatedAlertWebhook = AnswerOf<'/api/alert-webhooks', 'post'>;

export const alertWebhookKeys = {
  all: ['alert-webhooks'] as const,
  sends: (id: string) => ['alert-webhooks', id, 'sends'] as const,
};

export const useAlertWebhooks = () => useQuery({ queryKey: alertWebhookKeys.all, queryFn: () => api.get<AlertWebhook[]>('/api/alert-webhooks') });

/** What was sent to one webhook, re-read every 10 s: the periodic check sends without the console asking. */
export const useAlertWebhookSends = (id: string) =>
  useQuery({
    queryKey: alertWebhookKeys.sends(id),
    queryFn: () => api.get<AlertWebhookSend[]>(`/api/alert-webhooks/${id}/sends`),
    refetchInterval: 10_000,
  });

export function useCreateAlertWebhook() {
  const changed = useInvalidate(alertWebhookKeys.all);
  return useMutation({
    mutationFn: (body: { name: string; url: string; format: 'json' | 'slack' }) => api.post<CreatedAlertWebhook>('/api/alert-webhooks', body),
    onSuccess: changed,
  });
}

export function useUpdateAlertWebhook() {
  const changed = useInvalidate(alertWebhookKeys.all);
  return useMutation({
    mutationFn: ({ id, ...patch }: { id: string; enabled?: boolean }) => api.patch<AlertWebhook>(`/api/alert-webhooks/${id}`, patch),
    onSuccess: changed,
  });
}

export function useDeleteAlertWebhook() {
  const changed = useInvalidate(alertWebhookKeys.all);
  return useMutation({ mutationFn: (id: string) => api.delete<void>(`/api/alert-webhooks/${id}`), onSuccess: changed });
}

/** The test button: one sample message now; the answer is the send as recorded. */
export function useTestAlertWebhook() {
  const changed = useInvalidate(alertWebhookKeys.all);
  return useMutation({ mutationFn: (id: string) => api.post<AlertWebhookSend>(`/api/alert-webhooks/${id}/test`), onSuccess: changed });
}
