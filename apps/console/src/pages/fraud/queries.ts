import { useMutation, useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import type { AnswerOf, ReadOf } from '../../api/responses';
import { useInvalidate } from '../../lib/mutations';
import { conversionKeys } from '../conversions/queries';
import { deliveryKeys } from '../deliveries/queries';

export type HeldPage = ReadOf<'/api/fraud/held'>;
export type HeldConversion = HeldPage['items'][number];
type HoldDecision = AnswerOf<'/api/fraud/held/release', 'post'>;

export const heldKeys = {
  all: ['fraud-held'] as const,
  page: (offset: number) => ['fraud-held', offset] as const,
};

const PAGE = 100;

/** One page of the review queue, re-read every 10 s: postbacks keep arriving and holds expire. */
export const useHeldConversions = (offset: number) =>
  useQuery({ queryKey: heldKeys.page(offset), queryFn: () => api.get<HeldPage>('/api/fraud/held', { limit: PAGE, offset }), refetchInterval: 10_000 });

/** Release or reject: the queue, the conversions (status, trace) and the deliveries (a release queues them) all move. */
export function useDecideHolds() {
  const changed = useInvalidate(heldKeys.all, conversionKeys.all, deliveryKeys.all);
  return useMutation({
    mutationFn: ({ action, conversionIds }: { action: 'release' | 'reject'; conversionIds: string[] }) =>
      api.post<HoldDecision>(`/api/fraud/held/${action}`, { conversionIds }),
    onSettled: changed,
  });
}
