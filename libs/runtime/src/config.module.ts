import { DynamicModule, Global, Module } from '@nestjs/common';
import type { PostwireConfig } from '@postwire/config';
import { POSTWIRE_CONFIG } from './tokens';

/** Provides the configuration that `main` parsed and validated before Nest started. */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: PostwireConfig): DynamicModule {
    return { module: ConfigModule, providers: [{ provide: POSTWIRE_CONFIG, useValue: config }], exports: [POSTWIRE_CONFIG] };
  }
}
