import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client';
import type { ReadOf } from '../api/responses';

/** The installed network adapters and traffic-source presets. */
export type Plugins = ReadOf<'/api/plugins'>;
export type AdapterInfo = Plugins['adapters'][number];
/** One setting of an adapter (the plugin SDK's ConfigField): title, description, help, enum, secret, default. */
export type ConfigField = AdapterInfo['configSchema'][string];
/** A traffic-source preset (the plugin SDK's TrafficSourcePreset); `postbackUrlTemplate` is null for a link-only preset. */
export type Preset = Plugins['presets'][number];

/** The installed plugins (network adapters and traffic-source presets): read by two setup screens, fixed while the server runs. */
export const usePlugins = () => useQuery({ queryKey: ['plugins'], queryFn: () => api.get<Plugins>('/api/plugins'), staleTime: Infinity });

// Settings every shipped adapter may have, in the words of the network's own screens.
const KNOWN_SETTINGS: Record<string, string> = {
  clickIdParam: 'Parameter that carries your click id',
  secretKey: 'Secret key',
  passphrase: 'IPN passphrase',
  clickIdField: 'Field that carries your click id',
};

/** A setting's label for people: its title, a known wording, else the key in words ("payoutField" → "Payout field"). */
export function settingLabel(key: string, field: ConfigField): string {
  if (field.title) return field.title;
  if (KNOWN_SETTINGS[key]) return KNOWN_SETTINGS[key];
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .toLowerCase()
    .trim();
  return words ? words[0].toUpperCase() + words.slice(1) : key;
}
