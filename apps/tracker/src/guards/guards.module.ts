import { Module } from '@nestjs/common';
import { PluginsModule } from '../plugins/plugins.module';
import { guardProviders } from './index';

/** The fraud guards, rate limits, client address and network credentials, shared by every public route and the admin sign-in. */
@Module({ imports: [PluginsModule], providers: guardProviders, exports: [PluginsModule, ...guardProviders] })
export class GuardsModule {}
