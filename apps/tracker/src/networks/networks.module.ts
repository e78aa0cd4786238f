import { Module } from '@nestjs/common';
import { AccessModule } from '../access/access.module';
import { catalogLifecycleController, LifecycleModule } from '../lifecycle';
import { PostbacksModule } from '../postbacks';
import { NetworkCredentialsController } from './network-credentials.controller';
import { NetworksController } from './networks.controller';
import { PluginsController } from './plugins.controller';
import { TestPostbackController } from './test-postback.controller';

/** Affiliate networks: their adapter and guards, API keys and signing secrets, the installed adapters, and the test postback. */
@Module({
  imports: [AccessModule, PostbacksModule, LifecycleModule],
  controllers: [
    NetworksController,
    catalogLifecycleController({ kind: 'network', path: 'api/networks', tag: 'networks' }),
    NetworkCredentialsController,
    PluginsController,
    TestPostbackController,
  ],
})
export class NetworksModule {}
