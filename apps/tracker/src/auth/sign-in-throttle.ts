import { Inject, Injectable, Logger } from '@nestjs/common';
import type { PostwireConfig } from '@postwire/config';
import { POSTWIRE_CONFIG } from '@postwire/runtime';
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { GUARD_REDIS } from '../guards/guard-redis';

const WINDOW_SEC = 15 * 60;

/**
 * Failed sign-ins allowed per 15 minutes, per client address and per account, counted in Redis so
 * every tracker process shares them. Only failures count; a success clears the account's count.
 *
 * Fails safe, unlike the public-traffic limits: when Redis does not answer, each process counts in its
 * own memory instead, so a password guesser is never unthrottled. The addresses exempt from the public
 * limits (RATE_LIMIT_EXEMPT_CIDRS) are counted here too: a proxy on the same host would otherwise
 * exempt everyone.
 */
@Injectable()
export class SignInThrottle {
  private readonly logger = new Logger('SignInThrottle');
  private readonly limiters: Array<{ redis: RateLimiterAbstract; memory: RateLimiterAbstract; key: (ip: string, email: string) => string }>;
  private warnedAt = 0;

  constructor(@Inject(POSTWIRE_CONFIG) config: PostwireConfig, @Inject(GUARD_REDIS) redis: Redis) {
    const make = (name: string, points: number) => ({
      redis: new RateLimiterRedis({
        storeClient: redis,
        keyPrefix: `${config.queuePrefix}:signin:${name}`,
        points,
        duration: WINDOW_SEC,
        rejectIfRedisNotReady: true,
      }),
      memory: new RateLimiterMemory({ keyPrefix: `signin:${name}`, points, duration: WINDOW_SEC }),
    });
    this.limiters = [
      { ...make('ip', config.auth.signInPerIp), key: (ip) => ip },
      // The address is hashed so Redis holds no list of who tried to sign in.
      { ...make('account', config.auth.signInPerAccount), key: (_ip, email) => createHash('sha256').update(email.trim().toLowerCase()).digest('hex') },
    ];
  }

  /** Whether another attempt is allowed now; when not, how many seconds until it is. */
  async check(ip: string, email: string): Promise<{ ok: true } | { ok: false; retryAfterSec: number }> {
    let wait = 0;
    for (const limiter of this.limiters) {
      const res = await this.run(limiter, (l, key) => l.get(key), ip, email);
      if (res && res.consumedPoints >= (limiter.redis.points as number)) wait = Math.max(wait, res.msBeforeNext);
    }
    return wait > 0 ? { ok: false, retryAfterSec: Math.max(1, Math.ceil(wait / 1000)) } : { ok: true };
  }

  async failed(ip: string, email: string): Promise<void> {
    for (const limiter of this.limiters) {
      await this.run(limiter, (l, key) => l.consume(key).catch((e: unknown) => (e instanceof RateLimiterRes ? e : Promise.reject(e))), ip, email);
    }
  }

  async succeeded(ip: string, email: string): Promise<void> {
    const account = this.limiters[1];
    await this.run(account, (l, key) => l.delete(key).then(() => null), ip, email);
  }

  private async run<T>(
    limiter: SignInThrottle['limiters'][number],
    op: (l: RateLimiterAbstract, key: string) => Promise<T>,
    ip: string,
    email: string,
  ): Promise<T> {
    const key = limiter.key(ip, email);
    try {
      return await op(limiter.redis, key);
    } catch (error) {
      if (error instanceof RateLimiterRes) throw error;
      this.warn(error);
      return op(limiter.memory, key);
    }
  }

  private warn(error: unknown): void {
    if (Date.now() - this.warnedAt < 10_000) return;
    this.warnedAt = Date.now();
    this.logger.warn(`Redis did not answer; sign-in attempts are counted per process meanwhile: ${(error as Error)?.message ?? String(error)}`);
  }
}
