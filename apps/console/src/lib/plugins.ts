import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client';
import type { Plugins } from '../api/types';

/** The installed plugins (network adapters and traffic-source presets): read by two setup screens, fixed while the server runs. */
export const usePlugins = () => useQuery({ queryKey: ['plugins'], queryFn: () => api.get<Plugins>('/api/plugins'), staleTime: Infinity });
