import { Controller, Get, UseGuards } from '@nestjs/common';
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
        configSchema: adapter.configSchema,
        postbackUrlTemplate: adapter.postbackUrlTemplate('{tracker_url}', { id: '{network_id}', slug: '{network_slug}' }),
        origin,
      })),
      presets: this.registry.listPresets().map(({ preset, origin }) => ({ ...preset, origin })),
    };
  }
}
