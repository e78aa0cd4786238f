import { Module } from '@nestjs/common';
import { ForwardingTargetRepository } from '@postwire/persistence';
import { TargetRuntime } from '@postwire/runtime';
import { SecretBox } from '@postwire/security';
import { AccessModule } from '../access/access.module';
import { LifecycleModule } from '../lifecycle';
import { PluginRegistry } from '../plugins/plugin-registry';
import { PluginsModule } from '../plugins/plugins.module';
import { ForwardingTargetsController } from './forwarding-targets.controller';

/** Forwarding targets: the installed ones, a traffic source's choice with its settings and mapping, and the request preview. */
@Module({
  imports: [AccessModule, PluginsModule, LifecycleModule],
  controllers: [ForwardingTargetsController],
  providers: [
    {
      // The preview builds with the same runtime as the worker, but makes no outside calls.
      provide: TargetRuntime,
      inject: [PluginRegistry, ForwardingTargetRepository, SecretBox],
      useFactory: (registry: PluginRegistry, store: ForwardingTargetRepository, box: SecretBox) =>
        new TargetRuntime(
          registry,
          store,
          (sealed) => box.open(sealed),
          () => Promise.resolve({ statusCode: null, headers: {}, body: null, error: 'the preview makes no outside calls' }),
        ),
    },
  ],
})
export class ForwardingTargetsModule {}
