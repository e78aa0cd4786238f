import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import type { ReadOf } from '../../api/responses';

export type Conversion = ReadOf<'/api/conversions'>[number];
export type Trace = ReadOf<'/api/conversions/{id}/trace'>;

/** What the conversions list can be narrowed to (empty means any). */
export interface ConversionFilter {
  clickId: string;
  conversionId: string;
  campaignId: string;
  /** `true`/`false`: only / no test conversions; empty: both. */
  test: string;
}

/** The conversions' query keys: the lists and each conversion's trace sit under `conversions`. */
export const conversionKeys = {
  all: ['conversions'] as const,
  list: (filter: ConversionFilter) => ['conversions', 'list', filter] as const,
  trace: (conversionId: string) => ['conversions', 'trace', conversionId] as const,
};

export const useConversions = (filter: ConversionFilter) =>
  useQuery({ queryKey: conversionKeys.list(filter), queryFn: () => api.get<Conversion[]>('/api/conversions', { ...filter, limit: 500 }) });

/** One conversion's trace, re-read every 5 s while open: its deliveries keep moving after the page opened. */
export const useTrace = (conversionId: string) =>
  useQuery({ queryKey: conversionKeys.trace(conversionId), queryFn: () => api.get<Trace>(`/api/conversions/${conversionId}/trace`), refetchInterval: 5000 });
