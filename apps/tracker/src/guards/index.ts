import type { Provider } from '@nestjs/common';
import { ClientIpResolver } from '../http/client-ip';
import { AdapterSecrets } from '../plugins/adapter-secrets';
import { GuardRedisCloser, guardRedisProvider } from './guard-redis';
import { NetworkKeyAuthGuard, NetworkKeyStrategy } from './network-key.strategy';
import { PostbackGuard } from './postback.guard';
import { RateLimits } from './rate-limits';
import { SignatureVerifier } from './signature-check';

/** Fraud guards, rate limits, client address and credentials: what TrackerModule adds for them. */
export const guardProviders: Provider[] = [
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
