import { Inject, Injectable, Logger } from '@nestjs/common';
import type { PostwireConfig } from '@postwire/config';
import { POSTWIRE_CONFIG, type RedisClient } from '@postwire/runtime';
import { IpAllowlist, safeLogValue } from '@postwire/security';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { GUARD_REDIS } from '../guards/guard-redis';
import { ApiError } from '../http/api-error';
import { ClientIpResolver } from '../http/client-ip';

/**
 * Failed admin authentications, counted per client address in Redis (shared by every tracker
 * process) over a fixed window: one lockout for every key check, the `/api` routes, the queue
 * board's Basic auth and `/metrics` alike, so a guessed key cannot be confirmed on the one that is
 * not counted. Once an address used up its failures, every such request from it is answered 429
 * with Retry-After until the window ends, a correct key included: otherwise the 429 would only tell
 * a guesser which key was wrong. Successful requests cost nothing, and neither do requests that
 * carry no key at all (a browser's first request to the queue board, an expired console session):
 * they guess nothing, and counting them would let anyone lock an office out by sending ten.
 *
 * Fails open like the other limits (a Redis outage must not lock operators out); addresses in
 * RATE_LIMIT_EXEMPT_CIDRS are not counted.
 */
@Injectable()
export class AdminAuthFailures {
  private readonly logger = new Logger('AdminAuthFailures');
  private readonly limiter?: RateLimiterRedis;
  private readonly exempt: IpAllowlist;

  constructor(
    @Inject(POSTWIRE_CONFIG) config: PostwireConfig,
    @Inject(GUARD_REDIS) redis: RedisClient,
    private readonly clientIp: ClientIpResolver,
  ) {
    const { adminAuthFailures, adminAuthWindowSec, exemptCidrs } = config.rateLimits;
    this.exempt = new IpAllowlist(exemptCidrs);
    if (adminAuthFailures > 0) {
      this.limiter = new RateLimiterRedis({
        storeClient: redis,
        keyPrefix: `${config.queuePrefix}:rl:adminfail`,
        points: adminAuthFailures,
        duration: adminAuthWindowSec,
        rejectIfRedisNotReady: true,
      });
    }
  }

  /** Throws the 429 when the request's address has no failures left in this window. */
  async refuseIfLocked(req: FastifyRequest, reply: FastifyReply): Promise<void> {
    const ip = this.counted(req);
    if (!ip || !this.limiter) return;
    const state = await this.limiter.get(ip).catch(() => null);
    if (state && state.consumedPoints > this.limiter.points) throw this.locked(reply, state);
  }

  /** Counts a failed authentication; returns the error to answer with (the 429 once the failures are used up). */
  async failed(req: FastifyRequest, reply: FastifyReply, error: unknown): Promise<unknown> {
    const ip = this.counted(req);
    // Only a refused key counts; the database failing to answer is not the client's failure.
    if (!ip || !this.limiter || !(error instanceof ApiError && error.getStatus() === 401) || !carriesKey(req)) return error;
    try {
      await this.limiter.consume(ip);
      return error;
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) return error;
      if (rejection.consumedPoints === this.limiter.points + 1) {
        this.logger.warn(
          `admin authentication failures reached: ip=${safeLogValue(ip, 64)} (${this.limiter.points} per ${this.limiter.duration} s); refused until the window ends`,
        );
      }
      return this.locked(reply, rejection);
    }
  }

  private counted(req: FastifyRequest): string | undefined {
    const ip = this.clientIp.of(req);
    return this.exempt.allows(ip) ? undefined : ip;
  }

  private locked(reply: FastifyReply, state: RateLimiterRes): ApiError {
    const retryAfterSec = Math.max(1, Math.ceil(state.msBeforeNext / 1000));
    void reply.header('retry-after', String(retryAfterSec));
    return new ApiError('too_many_auth_failures', `Too many failed authentications from this address; retry in ${retryAfterSec} s.`);
  }
}

/** Whether the request presents a key (Authorization of any scheme, or X-API-Key), right or wrong. */
function carriesKey(req: FastifyRequest): boolean {
  const { authorization, 'x-api-key': apiKey } = req.headers;
  return (typeof authorization === 'string' && authorization.trim() !== '') || (typeof apiKey === 'string' && apiKey.trim() !== '');
}
