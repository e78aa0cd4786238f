import { useMutation, useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import { endpoints } from '../../api/endpoints';
import type { ReadOf } from '../../api/responses';
import { archivedQuery, auditKeys } from '../../lib/lifecycle';
import { useCreate, useInvalidate } from '../../lib/mutations';

export type Offer = ReadOf<'/api/offers'>[number];

/** The offers' query keys; an offer's goals sit under its id, so the list's key refreshes them too. */
export const offerKeys = {
  all: ['offers'] as const,
  list: (shown: 'active' | 'archived') => ['offers', 'list', shown] as const,
  goals: (offerId: string) => ['offers', offerId, 'goals'] as const,
};

/** How an offer counts one goal: once per click, or many (rebills, upsells), told apart by txid. */
export type GoalRule = ReadOf<'/api/offers/{id}/goals'>[number];

/** The offers in use (or the archived ones); other screens read it to name and pick offers, never an archived one (staff only, hence `enabled`). */
export const useOffers = ({ enabled = true, shown = 'active' as 'active' | 'archived' } = {}) =>
  useQuery({ queryKey: offerKeys.list(shown), queryFn: () => api.get<Offer[]>('/api/offers', archivedQuery(shown)), enabled });

/** Saves an edit; `version` is the one the form was opened with, so a colleague's change in between is refused (409). */
export function useUpdateOffer(offerId: string) {
  const changed = useInvalidate(offerKeys.all, auditKeys.all);
  return useMutation({
    mutationFn: (body: Parameters<typeof endpoints.updateOffer>[1]) => endpoints.updateOffer<Offer>(offerId, body),
    onSettled: changed,
  });
}

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
