import { Module } from '@nestjs/common';
import type { PostwireConfig } from '@postwire/config';
import { POSTWIRE_CONFIG } from '@postwire/runtime';
import { PluginRegistry } from './plugin-registry';

/** The network adapters and traffic-source presets, loaded once from the plugin folders the config names. */
@Module({
  providers: [{ provide: PluginRegistry, inject: [POSTWIRE_CONFIG], useFactory: (c: PostwireConfig) => PluginRegistry.load({ external: c.plugins }) }],
  exports: [PluginRegistry],
})
export class PluginsModule {}
