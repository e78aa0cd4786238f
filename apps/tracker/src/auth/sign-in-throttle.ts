import { Inject, Injectable, Logger } from '@nestjs/common';
import type { PostwireConfig } from '@postwire/config';
import { canonicalEmail } from '@postwire/core';
import { POSTWIRE_CONFIG, type RedisClient } from '@postwire/runtime';
import { createHash } from 'node:crypto';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { GUARD_REDIS } from '../guards/guard-redis';

const WINDOW_SEC = 15 * 60;

type Limiter = { redis: RateLimiterAbstract; memory: RateLimiterAbstract; key: (ip: string, email: string) => string };

/** Whether a password may be checked now; when not, how many seconds until one may. */
export type SignInVerdict = { ok: true } | { ok: false; retryAfterSec: number };

/**
 * Sign-in attempts per 15 minutes, per client address and per account, counted in Redis so every
 * tracker process shares them.
 *
 * An attempt takes its point BEFORE the password is checked (an atomic Redis INCR), and a correct
 * password gives it back: so concurrency cannot beat the limit. 40 simultaneous guesses at one account
 * check at most SIGN_IN_ATTEMPTS_PER_ACCOUNT passwords; the rest are refused unchecked. A success gives
 * back only its own point: it does not clear the failures before it, or a burst of guesses sent
 * together with the right password would start over. Successful sign-ins per account are limited too
 * (each makes a session), refused before the password is checked so the 429 tells nothing.
 *
 * Fails safe, unlike the public-traffic limits: when Redis does not answer, each process counts in its
 * own memory instead, so a password guesser is never unthrottled. The addresses exempt from the public
 * limits (RATE_LIMIT_EXEMPT_CIDRS) are counted here too: a proxy on the same host would otherwise
 * exempt everyone.
 */
@Injectable()
export class SignInThrottle {
  private readonly logger = new Logger('SignInThrottle');
  private readonly failures: Limiter[];
  private readonly successes: Limiter;
  private warnedAt = 0;

  constructor(@Inject(POSTWIRE_CONFIG) config: PostwireConfig, @Inject(GUARD_REDIS) redis: RedisClient) {
    const make = (name: string, points: number, key: Limiter['key']): Limiter => ({
      redis: new RateLimiterRedis({
        storeClient: redis,
        keyPrefix: `${config.queuePrefix}:signin:${name}`,
        points,
        duration: WINDOW_SEC,
        rejectIfRedisNotReady: true,
      }),
      memory: new RateLimiterMemory({ keyPrefix: `signin:${name}`, points, duration: WINDOW_SEC }),
      key,
    });
    // The address is hashed so Redis holds no list of who tried to sign in; canonical, so `nİna@` and `nina@` share a count.
    const account = (_ip: string, email: string) => createHash('sha256').update(canonicalEmail(email)).digest('hex');
    this.failures = [make('ip', config.auth.signInPerIp, (ip) => ip), make('account', config.auth.signInPerAccount, account)];
    this.successes = make('account-ok', config.auth.signInSuccessesPerAccount, account);
  }

  /**
   * Takes one attempt's point from the address and the account; call before checking the password,
   * and {@link succeeded} when it was right. Refused when either is used up, or the account's successes are.
   */
  async attempt(ip: string, email: string): Promise<SignInVerdict> {
    let waitMs = 0;
    const successes = await this.run(this.successes, (l, key) => l.get(key), ip, email);
    if (successes && successes.consumedPoints >= this.successes.redis.points) waitMs = successes.msBeforeNext;
    for (const limiter of this.failures) {
      if (waitMs > 0) break;
      const taken = await this.run(limiter, (l, key) => l.consume(key).catch((e: unknown) => (e instanceof RateLimiterRes ? e : Promise.reject(e))), ip, email);
      if (taken.consumedPoints > limiter.redis.points) waitMs = taken.msBeforeNext;
    }
    return waitMs > 0 ? { ok: false, retryAfterSec: Math.max(1, Math.ceil(waitMs / 1000)) } : { ok: true };
  }

  /** The password was right: gives the attempt's points back and counts a success. */
  async succeeded(ip: string, email: string): Promise<void> {
    for (const limiter of this.failures) await this.run(limiter, (l, key) => l.reward(key, 1), ip, email);
    await this.run(this.successes, (l, key) => l.consume(key).catch((e: unknown) => (e instanceof RateLimiterRes ? e : Promise.reject(e))), ip, email);
  }

  private async run<T>(limiter: Limiter, op: (l: RateLimiterAbstract, key: string) => Promise<T>, ip: string, email: string): Promise<T> {
    const key = limiter.key(ip, email);
    try {
      return await op(limiter.redis, key);
    } catch (error) {
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
