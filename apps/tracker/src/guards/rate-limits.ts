import { Inject, Injectable, Logger } from '@nestjs/common';
import type { PostwireConfig } from '@postwire/config';
import { POSTWIRE_CONFIG, type RedisClient } from '@postwire/runtime';
import { IpAllowlist, safeLogValue } from '@postwire/security';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { GUARD_REDIS } from './guard-redis';

export type RateVerdict = { ok: true } | { ok: false; retryAfterSec: number };

const WINDOW_SEC = 60;

/**
 * Request budgets per client address and per network, counted in Redis so every tracker process
 * draws from the same budget (fixed one-minute windows, rate-limiter-flexible's atomic Lua counter).
 *
 * Fails open: when Redis does not answer, requests pass. A postback refused because Redis is down is
 * a conversion lost, which is worse than an unthrottled minute; the body limit, the parameter
 * checks and the guards still apply. Addresses in RATE_LIMIT_EXEMPT_CIDRS (loopback by default)
 * are not counted at all.
 */
@Injectable()
export class RateLimits {
  private readonly logger = new Logger('RateLimits');
  private readonly perIp?: RateLimiterRedis;
  private readonly perNetwork?: RateLimiterRedis;
  private readonly pixelPerClick?: RateLimiterRedis;
  private readonly exempt: IpAllowlist;
  private warnedAt = 0;

  constructor(@Inject(POSTWIRE_CONFIG) config: PostwireConfig, @Inject(GUARD_REDIS) redis: RedisClient) {
    const { ipPerMin, networkPerMin, pixelPerClickPerMin, exemptCidrs } = config.rateLimits;
    this.exempt = new IpAllowlist(exemptCidrs);
    const limiter = (name: string, points: number) =>
      new RateLimiterRedis({
        storeClient: redis,
        keyPrefix: `${config.queuePrefix}:rl:${name}`,
        points,
        duration: WINDOW_SEC,
        rejectIfRedisNotReady: true,
        // Once a key is over its budget this process stops asking Redis until the window ends,
        // so a flood costs Redis nothing more than its first minute's worth of requests.
        inMemoryBlockOnConsumed: points + 1,
      });
    if (ipPerMin > 0) this.perIp = limiter('ip', ipPerMin);
    if (networkPerMin > 0) this.perNetwork = limiter('net', networkPerMin);
    if (pixelPerClickPerMin > 0) this.pixelPerClick = limiter('pixel', pixelPerClickPerMin);
  }

  /** Whether any limit would ever be checked for this client (false for exempt addresses or with both limits off). */
  isExempt(ip: string): boolean {
    return this.exempt.allows(ip);
  }

  consumeIp(ip: string): Promise<RateVerdict> {
    if (!this.perIp || this.exempt.allows(ip)) return Promise.resolve({ ok: true });
    return this.consume(this.perIp, 'ip', ip);
  }

  /** Counted after the network's guards passed, so forged requests cannot spend a network's budget. */
  consumeNetwork(networkId: string, ip: string): Promise<RateVerdict> {
    if (!this.perNetwork || this.exempt.allows(ip)) return Promise.resolve({ ok: true });
    return this.consume(this.perNetwork, 'network', networkId);
  }

  /**
   * Pixel hits on one click, from every address together: a page reloaded or a script looping on
   * the pixel makes log rows for nobody's benefit. Not exempt by address: the budget is the click's.
   */
  consumePixelClick(clickId: string): Promise<RateVerdict> {
    if (!this.pixelPerClick) return Promise.resolve({ ok: true });
    return this.consume(this.pixelPerClick, 'pixel click', clickId);
  }

  private async consume(limiter: RateLimiterRedis, kind: 'ip' | 'network' | 'pixel click', key: string): Promise<RateVerdict> {
    try {
      await limiter.consume(key);
      return { ok: true };
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) {
        const retryAfterSec = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
        // Exactly one request in the whole deployment takes the counter one past the budget, so this
        // logs each limited key once per window, however hard it is flooded.
        if (rejection.consumedPoints === limiter.points + 1) {
          this.logger.warn(
            `rate limit reached: ${kind}=${safeLogValue(key, 64)} (${limiter.points}/min); refused for ${retryAfterSec} s, further refusals are not logged`,
          );
        }
        return { ok: false, retryAfterSec };
      }
      this.warn(rejection);
      return { ok: true };
    }
  }

  private warn(error: unknown): void {
    if (Date.now() - this.warnedAt < 10_000) return;
    this.warnedAt = Date.now();
    this.logger.warn(`rate limits not enforced, Redis did not answer: ${(error as Error)?.message ?? String(error)}`);
  }
}
