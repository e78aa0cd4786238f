import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import type { ReadOf } from '../../api/responses';
import { useInvalidate } from '../../lib/mutations';
import { fetchStats, statsParams, type StatsQuery } from '../../lib/stats';

/** The report queries' keys: one per query, all under `stats`, so a change that moves the numbers refreshes every report on screen. */
export const statsKeys = {
  all: ['stats'] as const,
  query: (query: StatsQuery) => ['stats', query] as const,
};

/**
 * One report (rows, totals, currency). With `keepPrevious`, the last answer stays on screen while a changed
 * query loads, so a table being re-grouped does not blink empty.
 */
export const useStats = (query: StatsQuery, { keepPrevious = false, enabled = true } = {}) =>
  useQuery({
    queryKey: statsKeys.query(query),
    queryFn: () => fetchStats(query),
    placeholderData: keepPrevious ? keepPreviousData : undefined,
    enabled,
  });

/** The same report as CSV, for download. */
export const fetchStatsCsv = (query: StatsQuery) => api.text('/api/reports/stats', { ...statsParams(query), format: 'csv' });

export type SavedReport = ReadOf<'/api/saved-reports'>[number];
export const savedReportKeys = { all: ['saved-reports'] as const };

/** The signed-in user's saved reports. */
export const useSavedReports = () => useQuery({ queryKey: savedReportKeys.all, queryFn: () => api.get<SavedReport[]>('/api/saved-reports') });
export const fetchSavedReport = (id: string) => api.get<SavedReport>(`/api/saved-reports/${encodeURIComponent(id)}`);

/** Save, rename and delete; each refreshes the list. */
export function useSavedReportMutations() {
  const refresh = useInvalidate(savedReportKeys.all);
  return {
    save: useMutation({ mutationFn: (body: { name: string; query: string }) => api.post<SavedReport>('/api/saved-reports', body), onSuccess: refresh }),
    rename: useMutation({
      mutationFn: ({ id, name }: { id: string; name: string }) => api.patch<SavedReport>(`/api/saved-reports/${encodeURIComponent(id)}`, { name }),
      onSuccess: refresh,
    }),
    remove: useMutation({ mutationFn: (id: string) => api.delete<void>(`/api/saved-reports/${encodeURIComponent(id)}`), onSuccess: refresh }),
  };
}
