import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import type { ReadOf } from '../../api/responses';

export type ConversionPage = ReadOf<'/api/conversions'>;
export type Conversion = ConversionPage['items'][number];
export type Trace = ReadOf<'/api/conversions/{id}/trace'>;

/** The list's filters as the URL keeps them (also the CSV export's): each one the API's own parameter. */
export const CONVERSION_FILTERS = ['status', 'campaignId', 'networkId', 'trafficSourceId', 'clickId', 'conversionId', 'test'] as const;

/** The API query of one page: the filters set, the range as instants, limit and offset. */
export type ConversionQuery = Record<string, string | number | undefined>;

/** The conversions' query keys: the lists and each conversion's trace sit under `conversions`. */
export const conversionKeys = {
  all: ['conversions'] as const,
  list: (query: ConversionQuery) => ['conversions', 'list', query] as const,
  trace: (conversionId: string) => ['conversions', 'trace', conversionId] as const,
};

/** One page of the conversions with its total; the page on screen stays while the next one loads. */
export const useConversions = (query: ConversionQuery) =>
  useQuery({ queryKey: conversionKeys.list(query), queryFn: () => api.get<ConversionPage>('/api/conversions', query), placeholderData: keepPreviousData });

/** One conversion's trace, re-read every 5 s while open: its deliveries keep moving after the page opened. */
export const useTrace = (conversionId: string) =>
  useQuery({ queryKey: conversionKeys.trace(conversionId), queryFn: () => api.get<Trace>(`/api/conversions/${conversionId}/trace`), refetchInterval: 5000 });
