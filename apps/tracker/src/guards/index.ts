import type { Provider } from '@nestjs/common';
import { ClientIpResolver } from '../http/client-ip';
import { AdapterSecrets } from '../plugins/adapter-secrets';
import { GuardRedisCloser, guardRedisProvider } from './guard-redis';
import { NetworkKeyAuthGuard, NetworkKeyStrategy } from './network-key.strategy';
import { PostbackGuard } from './postback.guard';
import { RateLimits } from './rate-limits';
import { SignatureVerifier } from './signature-check';
import { SigningSecretRepository, type SqlClient } from '@postwire/persistence';
import { SQL_CLIENT } from '@postwire/runtime';

/** Fraud guards, rate limits, client address and credentials: what TrackerModule adds for them. */
export const guardProviders: Provider[] = [
  { provide: SigningSecretRepository, inject: [SQL_CLIENT], useFactory: (db: SqlClient) => new SigningSecretRepository(db) },
  guardRedisProvider,
  GuardRedisCloser,
  ClientIpResolver,
  RateLimits,
  SignatureVerifier,
  NetworkKeyStrategy,
  NetworkKeyAuthGuard,
  PostbackGuard,
  AdapterSecrets,
];

export { installPublicTrafficHook } from './public-traffic.hook';
