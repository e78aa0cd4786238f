import { useMutation, useQuery } from '@tanstack/react-query';
import { api } from '../../../api/client';
import type { AnswerOf } from '../../../api/responses';
import { useInvalidate } from '../../../lib/mutations';
import { conversionKeys } from '../../conversions/queries';
import { deliveryKeys } from '../../deliveries/queries';
import { heldKeys } from '../queries';

export type RescoreRun = AnswerOf<'/api/fraud/rescore', 'post'>;

export interface RescoreAsk {
  from: string;
  to: string;
  campaignId?: string;
  dryRun: boolean;
  sendStatusUpdates?: boolean;
}

/** Starts a run (a preview or an apply). An applied run moves holds, conversions and deliveries. */
export function useStartRescore() {
  const changed = useInvalidate(heldKeys.all, conversionKeys.all, deliveryKeys.all);
  return useMutation({
    mutationFn: (ask: RescoreAsk) => api.post<RescoreRun>('/api/fraud/rescore', ask),
    onSettled: (run) => {
      if (run && !run.dryRun) void changed();
    },
  });
}

/** A run's progress, read every second while it runs; nothing once it is over. */
export const useRescoreRun = (run: RescoreRun | undefined) =>
  useQuery({
    queryKey: ['fraud-rescore', run?.runId],
    queryFn: () => api.get<RescoreRun>(`/api/fraud/rescore/${run!.runId}`),
    enabled: run?.state === 'running',
    refetchInterval: (query) => (query.state.data?.state === 'running' || query.state.data === undefined ? 1000 : false),
  });
