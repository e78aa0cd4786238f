import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import { endpoints } from '../../api/endpoints';
import type { ReadOf } from '../../api/responses';
import { useCreate } from '../../lib/mutations';

export type Campaign = ReadOf<'/api/campaigns'>[number];

export const campaignKeys = { all: ['campaigns'] as const };

/** The campaigns the user may see (a client: their own); other screens read it to name and pick campaigns. */
export const useCampaigns = () => useQuery({ queryKey: campaignKeys.all, queryFn: () => api.get<Campaign[]>('/api/campaigns') });

export const useCreateCampaign = (onDone: (created: Campaign) => void) =>
  useCreate((body: Parameters<typeof endpoints.createCampaign>[0]) => endpoints.createCampaign<Campaign>(body), campaignKeys.all, onDone);
