import type { Provider } from '@nestjs/common';
import { ClientIpResolver } from '../http/client-ip';
import { AdapterSecrets } from '../plugins/adapter-secrets';
import { GuardRedisCloser, guardRedisProvider } from './guard-redis';
import { NetworkKeyCheck } from './network-key';
import { PostbackGuards } from './postback-guards';
import { RateLimits } from './rate-limits';
import { SignatureVerifier } from './signature-check';

/** Fraud guards, rate limits, client address and credentials: what TrackerModule adds for them. */
export const guardProviders: Provider[] = [
  guardRedisProvider,
  GuardRedisCloser,
  ClientIpResolver,
  RateLimits,
  SignatureVerifier,
  NetworkKeyCheck,
  PostbackGuards,
  AdapterSecrets,
];

export { installPublicTrafficHook } from './public-traffic.hook';
