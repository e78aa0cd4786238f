import { Controller, Get, UseGuards } from '@nestjs/common';
import type { ConfigField, ConfigSchema, TrafficSourcePreset } from '@postwire/plugin-sdk';
import { AdminAuthGuard } from '../access/admin-auth.guard';
import { ApiRoute } from '../openapi/api-route.decorator';
import { PluginRegistry } from '../plugins/plugin-registry';
import { pluginsView } from './network-views';

/**
 * The installed network adapters (what a network is created with) and traffic-source presets. It
 * lives with networks because the network form is its main reader; the traffic-source form reads the presets.
 */
@Controller('api/plugins')
@UseGuards(AdminAuthGuard)
export class PluginsController {
  constructor(private readonly registry: PluginRegistry) {}

  @ApiRoute({ summary: 'Installed network adapters and traffic-source presets', tag: 'plugins', response: pluginsView })
  @Get()
  listPlugins() {
    return {
      adapters: this.registry.listAdapters().map(({ adapter, origin }) => ({
        id: adapter.id,
        displayName: adapter.displayName,
        methods: adapter.methods,
        contentTypes: adapter.contentTypes ?? [],
        configSchema: Object.fromEntries(Object.entries(adapter.configSchema as ConfigSchema).map(([key, field]) => [key, configFieldOf(field)])),
        postbackUrlTemplate: adapter.postbackUrlTemplate('{tracker_url}', { id: '{network_id}', slug: '{network_slug}' }),
        origin,
      })),
      presets: this.registry.listPresets().map(({ preset, origin }) => presetOf(preset, origin)),
    };
  }
}

// Every key is written out, absent ones as null: the answer's schema is strict, and a plugin's
// object may carry keys of its own that are not part of the API.

function configFieldOf(field: ConfigField) {
  return {
    type: field.type,
    title: field.title ?? null,
    description: field.description,
    help: field.help ?? null,
    required: field.required ?? false,
    secret: field.secret ?? false,
    enum: field.enum ? [...field.enum] : null,
    default: field.default ?? null,
  };
}

function presetOf(preset: TrafficSourcePreset, origin: string) {
  return {
    id: preset.id,
    displayName: preset.displayName,
    postbackUrlTemplate: preset.postbackUrlTemplate ?? null,
    statusMap: { ...preset.statusMap },
    clickIdMacro: preset.clickIdMacro,
    reference: preset.reference,
    values: Object.fromEntries(Object.entries(preset.values ?? {}).map(([name, v]) => [name, { description: v.description, pattern: v.pattern ?? null }])),
    tokens: (preset.tokens ?? []).map((t) => ({ target: t.target, macro: t.macro, label: t.label })),
    tokensReference: preset.tokensReference ?? null,
    origin,
  };
}
