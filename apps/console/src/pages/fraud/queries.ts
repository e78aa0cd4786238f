import { useMutation, useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import type { AnswerOf, ReadOf } from '../../api/responses';
import { useInvalidate } from '../../lib/mutations';
import { fetchStats, type StatsQuery, type StatsReport } from '../../lib/stats';
import { conversionKeys } from '../conversions/queries';
import { deliveryKeys } from '../deliveries/queries';

export type HeldPage = ReadOf<'/api/fraud/held'>;
export type HeldConversion = HeldPage['items'][number];
type HoldDecision = AnswerOf<'/api/fraud/held/release', 'post'>;

export const heldKeys = {
  all: ['fraud-held'] as const,
  page: (offset: number, campaignId?: string, test?: string) => ['fraud-held', offset, campaignId ?? null, test ?? null] as const,
};

const PAGE = 100;

/**
 * One page of the review queue (all campaigns', or one's; `test`: 'true' only test conversions, 'false' none), re-read
 * every 10 s: postbacks keep arriving and holds expire.
 */
export const useHeldConversions = (offset: number, campaignId?: string, test?: string) =>
  useQuery({
    queryKey: heldKeys.page(offset, campaignId, test),
    queryFn: () => api.get<HeldPage>('/api/fraud/held', { limit: PAGE, offset, campaignId, test }),
    refetchInterval: 10_000,
  });

/** Release or reject: the queue, the conversions (status, trace) and the deliveries (a release queues them) all move. */
export function useDecideHolds() {
  const changed = useInvalidate(heldKeys.all, conversionKeys.all, deliveryKeys.all, fraudStatsKeys.all);
  return useMutation({
    mutationFn: ({ action, conversionIds }: { action: 'release' | 'reject'; conversionIds: string[] }) =>
      api.post<HoldDecision>(`/api/fraud/held/${action}`, { conversionIds }),
    onSettled: changed,
  });
}

/** Whose fraud policy: a campaign's (wins) or an offer's. */
export type PolicyOwner = 'campaign' | 'offer';
export type FraudPolicyAnswer = ReadOf<'/api/fraud/campaigns/{id}/policy'>;
export type FraudPolicyBody = FraudPolicyAnswer['stored'];

export const fraudPolicyKeys = { one: (owner: PolicyOwner, id: string) => ['fraud-policy', owner, id] as const };
const policyPath = (owner: PolicyOwner, id: string) => `/api/fraud/${owner === 'campaign' ? 'campaigns' : 'offers'}/${encodeURIComponent(id)}/policy`;

/** A campaign's or offer's policy: what it stores, what applies, and the defaults. */
export const useFraudPolicy = (owner: PolicyOwner, id: string) =>
  useQuery({ queryKey: fraudPolicyKeys.one(owner, id), queryFn: () => api.get<FraudPolicyAnswer>(policyPath(owner, id)) });

/** Replaces the policy (what is left out keeps its default). */
export function useSetFraudPolicy(owner: PolicyOwner, id: string) {
  const changed = useInvalidate(fraudPolicyKeys.one(owner, id));
  return useMutation({ mutationFn: (body: FraudPolicyBody) => api.put<FraudPolicyAnswer>(policyPath(owner, id), body), onSuccess: changed });
}

export const fraudStatsKeys = { all: ['stats', 'fraud'] as const, query: (q: StatsQuery) => ['stats', 'fraud', q] as const };

/** A report for the fraud page (under the reports' keys, so whatever refreshes reports refreshes it too). */
export const useFraudStats = (query: StatsQuery) =>
  useQuery({ queryKey: fraudStatsKeys.query(query), queryFn: (): Promise<StatsReport> => fetchStats(query), refetchInterval: 60_000 });
