import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import type { AnswerOf, ReadOf } from '../../api/responses';
import { useInvalidate } from '../../lib/mutations';
import { conversionKeys } from '../conversions/queries';

export type DeliveryPage = ReadOf<'/api/deliveries'>;
export type Delivery = DeliveryPage['items'][number];

/** The delivery log's filters as the URL keeps them (also the CSV export's): each one the API's own parameter. */
export const DELIVERY_FILTERS = ['status', 'trafficSourceId', 'campaignId', 'networkId', 'test'] as const;

/** The API query of one page: the filters set, the range as instants, limit and offset. */
export type DeliveryQuery = Record<string, string | number | undefined>;

/** Which deliveries to send again: one source's, created in a time range, optionally of one status. */
export interface ReplayRequest {
  trafficSourceId: string;
  from: string;
  to: string;
  status?: string;
}

export const deliveryKeys = {
  all: ['deliveries'] as const,
  list: (query: DeliveryQuery) => ['deliveries', query] as const,
};

/** One page of the deliveries with its total, re-read every 5 s (the worker keeps sending and retrying them); the page on screen stays while the next one loads. */
export const useDeliveries = (query: DeliveryQuery) =>
  useQuery({
    queryKey: deliveryKeys.list(query),
    queryFn: () => api.get<DeliveryPage>('/api/deliveries', query),
    refetchInterval: 5000,
    placeholderData: keepPreviousData,
  });

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
