import { useMutation, useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import { endpoints } from '../../api/endpoints';
import type { ReadOf } from '../../api/responses';
import { useCreate, useInvalidate } from '../../lib/mutations';

export type Offer = ReadOf<'/api/offers'>[number];

/** The offers' query keys; an offer's goals sit under its id, so the list's key refreshes them too. */
export const offerKeys = {
  all: ['offers'] as const,
  goals: (offerId: string) => ['offers', offerId, 'goals'] as const,
};

/** How an offer counts one goal: once per click, or many (rebills, upsells), told apart by txid. */
export type GoalRule = ReadOf<'/api/offers/{id}/goals'>[number];

/** Every offer; other screens read it to name and pick offers (only staff may, hence `enabled`). */
export const useOffers = ({ enabled = true } = {}) => useQuery({ queryKey: offerKeys.all, queryFn: () => api.get<Offer[]>('/api/offers'), enabled });

export const useCreateOffer = (onDone: (created: Offer) => void) =>
  useCreate((body: Parameters<typeof endpoints.createOffer>[0]) => endpoints.createOffer<Offer>(body), offerKeys.all, onDone);

export const useGoalRules = (offerId: string) =>
  useQuery({ queryKey: offerKeys.goals(offerId), queryFn: () => api.get<GoalRule[]>(`/api/offers/${offerId}/goals`) });

export function useSaveGoalRule(offerId: string) {
  const goalsChanged = useInvalidate(offerKeys.goals(offerId));
  return useMutation({
    mutationFn: (rule: GoalRule) => api.put(`/api/offers/${offerId}/goals/${encodeURIComponent(rule.goal)}`, { manyPerClick: rule.manyPerClick }),
    onSuccess: goalsChanged,
  });
}
