import { Inject, Logger, type OnApplicationShutdown, type Provider } from '@nestjs/common';
import type { PostwireConfig } from '@postwire/config';
import { createRedisClient, POSTWIRE_CONFIG, type RedisClient } from '@postwire/runtime';

/** The Redis connection of the request guards (rate limits, replay guard). */
export const GUARD_REDIS = Symbol('GUARD_REDIS');

/**
 * A connection of its own, set up like the queue producer's: no offline queue and one retry, so while
 * Redis is away every command fails at once and the guards fail open instead of holding requests.
 * `commandTimeout` covers the other failure, a Redis that accepts connections but does not answer.
 */
export const guardRedisProvider: Provider = {
  provide: GUARD_REDIS,
  inject: [POSTWIRE_CONFIG],
  useFactory: (config: PostwireConfig) => {
    const redis = createRedisClient(config, 'producer', { commandTimeout: 500, connectionName: 'postwire-guards' });
    const logger = new Logger('GuardRedis');
    let warnedAt = 0;
    redis.on('error', (error: Error) => {
      // ioredis emits an error per reconnect attempt; one line per 10 s is enough to notice.
      if (Date.now() - warnedAt < 10_000) return;
      warnedAt = Date.now();
      logger.warn(`Redis unreachable, rate limits and the replay guard are not enforced meanwhile: ${error.message}`);
    });
    return redis;
  },
};

export class GuardRedisCloser implements OnApplicationShutdown {
  constructor(@Inject(GUARD_REDIS) private readonly redis: RedisClient) {}

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
