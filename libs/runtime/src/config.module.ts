import { DynamicModule, Global, Module } from '@nestjs/common';
import type { PostwireConfig } from '@postwire/config';
import { secretBoxProvider } from './secret-box.provider';
import { POSTWIRE_CONFIG } from './tokens';
import { SecretBox } from '@postwire/security';

/** Provides the configuration that `main` parsed and validated before Nest started, and the secrets box keyed from it. */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: PostwireConfig): DynamicModule {
    return { module: ConfigModule, providers: [{ provide: POSTWIRE_CONFIG, useValue: config }, secretBoxProvider], exports: [POSTWIRE_CONFIG, SecretBox] };
  }
}
