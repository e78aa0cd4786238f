import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client';
import type { Campaign, Network, Offer, Plugins, TrafficSource } from '../api/types';

/** The setup lists, shared by every screen that names or picks them. */
export const useNetworks = () => useQuery({ queryKey: ['networks'], queryFn: () => api.get<Network[]>('/api/networks') });
export const useOffers = () => useQuery({ queryKey: ['offers'], queryFn: () => api.get<Offer[]>('/api/offers') });
export const useTrafficSources = () => useQuery({ queryKey: ['traffic-sources'], queryFn: () => api.get<TrafficSource[]>('/api/traffic-sources') });
export const useCampaigns = () => useQuery({ queryKey: ['campaigns'], queryFn: () => api.get<Campaign[]>('/api/campaigns') });
export const usePlugins = () => useQuery({ queryKey: ['plugins'], queryFn: () => api.get<Plugins>('/api/plugins'), staleTime: Infinity });

export function nameMap<T extends { id: string; name: string }>(items: readonly T[] | undefined): Map<string, string> {
  return new Map((items ?? []).map((i) => [i.id, i.name]));
}
