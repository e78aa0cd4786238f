import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
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
export const useStats = (query: StatsQuery, { keepPrevious = false } = {}) =>
  useQuery({ queryKey: statsKeys.query(query), queryFn: () => fetchStats(query), placeholderData: keepPrevious ? keepPreviousData : undefined });

/** The same report as CSV, for download. */
export const fetchStatsCsv = (query: StatsQuery) => api.text('/api/reports/stats', { ...statsParams(query), format: 'csv' });
