import { useMutation, useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import { endpoints } from '../../api/endpoints';
import type { AnswerOf, ReadOf } from '../../api/responses';
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

/** One entry of a campaign's cost history: a correction, who set it and what it replaced. */
export type CostCorrection = ReadOf<'/api/campaigns/{id}/costs'>[number];
/** What a correction would do, before it is applied. */
export type CostPreview = AnswerOf<'/api/campaigns/{id}/costs/preview', 'post'>;
/** The "Update cost" dialog's request: a range, a total or per-click amount, a currency. */
export interface CostCorrectionBody {
  from: string;
  to: string;
  amount?: string;
  perClick?: string;
  currency?: string;
}
/** A campaign's own forwarding rules over its source's, with the campaign's `version` they were read at. */
export type CampaignRules = ReadOf<'/api/campaigns/{id}/forwarding-rules'>;
export interface CampaignRulesBody {
  goals: string[] | null;
  statuses: Array<'pending' | 'approved' | 'declined' | 'refunded'> | null;
  payoutShare: { type: 'percent'; value: string } | { type: 'fixed'; value: string; currency?: string } | null;
  retrySchedule: string | null;
  /** The campaign's version as the rules were read: a change of the campaign meanwhile is refused (409). */
  version: number;
}

const costKeys = (campaignId: string) => ['campaigns', campaignId, 'costs'] as const;
const rulesKeys = (campaignId: string) => ['campaigns', campaignId, 'forwarding-rules'] as const;

export const useCostHistory = (campaignId: string) =>
  useQuery({ queryKey: costKeys(campaignId), queryFn: () => api.get<CostCorrection[]>(`/api/campaigns/${campaignId}/costs`) });

export const usePreviewCost = (campaignId: string) =>
  useMutation({ mutationFn: (body: CostCorrectionBody) => api.post<CostPreview>(`/api/campaigns/${campaignId}/costs/preview`, body) });

export function useApplyCost(campaignId: string) {
  const historyChanged = useInvalidate(costKeys(campaignId), ['reports']);
  return useMutation({
    mutationFn: (body: CostCorrectionBody) => api.post<CostCorrection>(`/api/campaigns/${campaignId}/costs`, body),
    onSuccess: historyChanged,
  });
}

export const useCampaignRules = (campaignId: string) =>
  useQuery({ queryKey: rulesKeys(campaignId), queryFn: () => api.get<CampaignRules>(`/api/campaigns/${campaignId}/forwarding-rules`) });

/**
 * Saves the rules, an edit of the campaign. Settled, also when refused, it refreshes the campaigns (their version
 * moved; the rules sit under the campaigns' key) and the audit log, so a conflict shows the server's current rules.
 */
export function useSaveCampaignRules(campaignId: string) {
  const changed = useInvalidate(campaignKeys.all, auditKeys.all);
  return useMutation({
    mutationFn: (body: CampaignRulesBody) => api.put<CampaignRules>(`/api/campaigns/${campaignId}/forwarding-rules`, body),
    onSettled: changed,
  });
}
