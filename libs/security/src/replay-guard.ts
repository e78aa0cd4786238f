import { createHash } from 'node:crypto';
import type { Cluster, Redis } from 'ioredis';

/** Remembers which signed requests were already accepted, so a captured request cannot be replayed. */
export interface ReplayStore {
  /**
   * Records `key` for `ttlSec` seconds.
   * @returns true the first time `key` is seen within its TTL, false for a replay.
   */
  remember(key: string, ttlSec: number): Promise<boolean>;
  /**
   * Drops `key` again, for a request that was verified but then failed on the receiving side (a
   * 5xx): its sender retries the identical request, which must not be taken for a replay.
   */
  forget(key: string): Promise<void>;
}

/** Default Redis key prefix of {@link RedisReplayStore}. */
export const REPLAY_KEY_PREFIX = 'postwire:replay:';

/**
 * How long to remember a signature accepted with the given timestamp tolerance.
 *
 * A timestamp `ts` is accepted while `now` is within `ts ± tolerance`, a window of `2 × tolerance`
 * seconds. The first sighting is at or after the window opens, so remembering it for the whole window
 * length (plus a second for rounding) covers every moment the same request could still pass the
 * timestamp check. Shorter, and a replay just before the window closes would get through.
 */
export function replayTtlSec(toleranceSec: number): number {
  return 2 * Math.ceil(toleranceSec) + 1;
}

/**
 * {@link ReplayStore} on Redis: one `SET key 1 NX EX ttl` per request, atomic across every tracker
 * instance sharing the Redis. The key is the sha256 of the signature, so keys have a fixed size and a
 * huge or odd value cannot bloat or break Redis keys.
 */
export class RedisReplayStore implements ReplayStore {
  /**
   * @param redis a connected ioredis client, to one Redis or a Redis Cluster (each key is on its own, so any slot does).
   * @param prefix key prefix; defaults to {@link REPLAY_KEY_PREFIX}.
   */
  constructor(
    private readonly redis: Redis | Cluster,
    private readonly prefix: string = REPLAY_KEY_PREFIX,
  ) {}

  /** @throws {RangeError} unless `ttlSec` is a whole number of seconds ≥ 1 (Redis would refuse it or never expire it). */
  async remember(key: string, ttlSec: number): Promise<boolean> {
    if (!Number.isSafeInteger(ttlSec) || ttlSec < 1) throw new RangeError('ttlSec must be a whole number of seconds, at least 1');
    const reply = await this.redis.set(this.storedKey(key), '1', 'EX', ttlSec, 'NX');
    return reply === 'OK';
  }

  async forget(key: string): Promise<void> {
    await this.redis.del(this.storedKey(key));
  }

  private storedKey(key: string): string {
    return this.prefix + createHash('sha256').update(key, 'utf8').digest('hex');
  }
}
