import { useMutation, useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import { endpoints } from '../../api/endpoints';
import type { ReadOf } from '../../api/responses';
import { archivedQuery, auditKeys } from '../../lib/lifecycle';
import { useCreate, useInvalidate } from '../../lib/mutations';

export type Campaign = ReadOf<'/api/campaigns'>[number];

export const campaignKeys = { all: ['campaigns'] as const, list: (shown: 'active' | 'archived') => ['campaigns', 'list', shown] as const };

/** The campaigns the user may see (a client: their own), in use or archived; other screens read it to name and pick campaigns. */
export const useCampaigns = ({ shown = 'active' as 'active' | 'archived' } = {}) =>
  useQuery({ queryKey: campaignKeys.list(shown), queryFn: () => api.get<Campaign[]>('/api/campaigns', archivedQuery(shown)) });

/** Saves an edit; `version` is the one the form was opened with, so a colleague's change in between is refused (409). */
export function useUpdateCampaign(campaignId: string) {
  const changed = useInvalidate(campaignKeys.all, auditKeys.all);
  return useMutation({
    mutationFn: (body: Parameters<typeof endpoints.updateCampaign>[1]) => endpoints.updateCampaign<Campaign>(campaignId, body),
    onSettled: changed,
  });
}

export const useCreateCampaign = (onDone: (created: Campaign) => void) =>
  useCreate((body: Parameters<typeof endpoints.createCampaign>[0]) => endpoints.createCampaign<Campaign>(body), campaignKeys.all, onDone);
