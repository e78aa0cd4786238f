import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import type { ReadOf } from '../../api/responses';

export type Alert = ReadOf<'/api/alerts'>['alerts'][number];

export const alertKeys = { all: ['alerts'] as const };

/** What needs attention (failing sources, dead deliveries, …); only staff may read it, hence `enabled`. */
export const useAlerts = ({ enabled = true } = {}) =>
  useQuery({ queryKey: alertKeys.all, queryFn: () => api.get<{ alerts: Alert[] }>('/api/alerts'), enabled });
