import { Module } from '@nestjs/common';
import { PassportModule } from '@nestjs/passport';
import { GuardsModule } from '../guards/guards.module';
import { AdminAuthFailures } from './admin-auth-failures';
import { AdminKeyStrategy } from './admin-key.strategy';
import { SessionStrategy } from './session.strategy';
import { Sessions } from './sessions';

/**
 * What `AdminAuthGuard` needs in every admin feature module: the API-key and session strategies, the
 * session store and the failed-credential counter. A feature module imports this, never the providers.
 */
@Module({
  imports: [PassportModule, GuardsModule],
  providers: [AdminAuthFailures, AdminKeyStrategy, SessionStrategy, Sessions],
  exports: [GuardsModule, AdminAuthFailures, Sessions],
})
export class AccessModule {}
