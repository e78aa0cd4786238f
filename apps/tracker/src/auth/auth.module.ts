import { Module } from '@nestjs/common';
import { AccessModule } from '../access/access.module';
import { LifecycleModule } from '../lifecycle';
import { AdminKeyBootstrap } from './admin-key.bootstrap';
import { ApiKeysController } from './api-keys.controller';
import { AuthController } from './auth.controller';
import { FirstAdminBootstrap } from './first-admin.bootstrap';
import { LocalStrategy } from './local.strategy';
import { SignInThrottle } from './sign-in-throttle';
import { UsersController } from './users.controller';

/** Users and sign-in: console sessions, users and roles, admin API keys, and the first admin and key at boot. */
@Module({
  imports: [AccessModule, LifecycleModule],
  controllers: [AuthController, UsersController, ApiKeysController],
  providers: [LocalStrategy, SignInThrottle, FirstAdminBootstrap, AdminKeyBootstrap],
})
export class AuthModule {}
