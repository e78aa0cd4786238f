import { Inject, Logger, Optional, type OnApplicationShutdown, type Provider } from '@nestjs/common';
import type { PostwireConfig } from '@postwire/config';
import { createRedisClient } from '../redis-connection';
import { POSTWIRE_CONFIG, VELOCITY_COUNTER } from '../tokens';
import { RedisVelocityCounter } from './redis-velocity-counter';

/**
 * The velocity counter on a Redis connection of its own, set up like the queue producer's (no offline
 * queue: nothing waits for a Redis that is away). It connects when a tracker starts counting
 * ({@link RedisVelocityCounter.connect}), so a worker, which scores nothing, opens no connection for it.
 * Null with FRAUD_SCORING=off.
 */
export const velocityCounterProvider: Provider = {
  provide: VELOCITY_COUNTER,
  inject: [POSTWIRE_CONFIG],
  useFactory: (config: PostwireConfig) => {
    if (!config.fraud.scoring) return null;
    const redis = createRedisClient(config, 'producer', { lazyConnect: true, connectionName: 'postwire-velocity' });
    // ioredis emits an error per reconnect attempt; the counter itself says once that counts are unavailable.
    redis.on('error', () => undefined);
    return new RedisVelocityCounter(redis, `${config.queuePrefix}:vel:`, new Logger('VelocityCounter'));
  },
};

export class VelocityCounterCloser implements OnApplicationShutdown {
  constructor(@Optional() @Inject(VELOCITY_COUNTER) private readonly counter: RedisVelocityCounter | null) {}

  async onApplicationShutdown(): Promise<void> {
    await this.counter?.close();
  }
}
