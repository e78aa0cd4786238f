import { Module } from '@nestjs/common';
import { AccessModule } from '../access/access.module';
import { NetworkCredentialsController } from './network-credentials.controller';
import { NetworksController } from './networks.controller';
import { PluginsController } from './plugins.controller';
import { TestPostbackController } from './test-postback.controller';

/** Affiliate networks: their adapter and guards, API keys and signing secrets, the installed adapters, and the test postback. */
@Module({ imports: [AccessModule], controllers: [NetworksController, NetworkCredentialsController, PluginsController, TestPostbackController] })
export class NetworksModule {}
