import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client';
import type { ReadOf } from '../api/responses';

/** The installed network adapters and traffic-source presets. */
export type Plugins = ReadOf<'/api/plugins'>;
export type AdapterInfo = Plugins['adapters'][number];
// The server documents a config field and a preset as open objects (their keys are the plugin's own, see
// the plugin SDK's ConfigField and TrafficSourcePreset); these are the keys the console reads from them.
/** One setting of an adapter, as the setup form reads it. */
export interface ConfigField {
  type?: 'string' | 'number' | 'boolean';
  description?: string;
  default?: unknown;
  secret?: boolean;
  required?: boolean;
}
/** A traffic-source preset, as the setup form reads it. */
export type Preset = Plugins['presets'][number] & { displayName?: string; name?: string; postbackUrlTemplate?: string };

/** The installed plugins (network adapters and traffic-source presets): read by two setup screens, fixed while the server runs. */
export const usePlugins = () => useQuery({ queryKey: ['plugins'], queryFn: () => api.get<Plugins>('/api/plugins'), staleTime: Infinity });
