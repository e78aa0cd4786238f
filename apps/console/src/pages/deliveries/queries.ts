import { useMutation, useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import type { AnswerOf, ReadOf } from '../../api/responses';
import { useInvalidate } from '../../lib/mutations';
import { conversionKeys } from '../conversions/queries';

export type Delivery = ReadOf<'/api/deliveries'>[number];

/** What the deliveries list can be narrowed to (empty means any). */
export interface DeliveryFilter {
  status: string;
  trafficSourceId: string;
  /** `true`/`false`: only / no test deliveries; empty: both. */
  test: string;
}

/** Which deliveries to send again: one source's, created in a time range, optionally of one status. */
export interface ReplayRequest {
  trafficSourceId: string;
  from: string;
  to: string;
  status?: string;
}

export const deliveryKeys = {
  all: ['deliveries'] as const,
  list: (filter: DeliveryFilter) => ['deliveries', filter] as const,
};

/** The deliveries, re-read every 5 s: the worker keeps sending and retrying them. */
export const useDeliveries = (filter: DeliveryFilter) =>
  useQuery({ queryKey: deliveryKeys.list(filter), queryFn: () => api.get<Delivery[]>('/api/deliveries', { ...filter, limit: 500 }), refetchInterval: 5000 });

/** A retry or replay moves deliveries, which both the deliveries list and the conversions' traces show. */
const useDeliveriesChanged = () => useInvalidate(deliveryKeys.all, conversionKeys.all);

export function useRetryDelivery() {
  const deliveriesChanged = useDeliveriesChanged();
  return useMutation({
    mutationFn: (deliveryId: string) => api.post<AnswerOf<'/api/deliveries/{id}/retry', 'post'>>(`/api/deliveries/${deliveryId}/retry`),
    onSettled: deliveriesChanged,
  });
}

export function useReplayDeliveries() {
  const deliveriesChanged = useDeliveriesChanged();
  return useMutation({
    mutationFn: (request: ReplayRequest) => api.post<AnswerOf<'/api/deliveries/replay', 'post'>>('/api/deliveries/replay', request),
    onSettled: deliveriesChanged,
  });
}
