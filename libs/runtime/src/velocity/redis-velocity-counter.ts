import { VELOCITY_WINDOWS, type ClickToCount, type ClickVelocity, type ConversionToCount, type ConversionVelocity, type VelocityCounter } from '@postwire/core';
import { Cluster, type ChainableCommander } from 'ioredis';
import type { RedisClient } from '../redis-connection';
import {
  clickCounterKey,
  conversionSetKey,
  deviceIdentity,
  EXPIRY_SLACK_SECONDS,
  shortDigest,
  subIdentity,
  type ClickDimension,
  type ConversionDimension,
  type ShardedKey,
} from './velocity-keys';

/** How long a batch waits for its counts at most; past it the signals are absent and the batch goes on. */
export const VELOCITY_TIMEOUT_MS = 50;

/** Where the counter says that Redis went away and came back (once each, not per click). */
export interface VelocityLog {
  warn(message: string): void;
  log(message: string): void;
}

/** Commands of one shard, and what to do with each reply. */
type Reply = [error: Error | null, result: unknown];
interface ShardBatch {
  add(command: (pipeline: ChainableCommander) => void, onReply?: (value: unknown) => void): void;
}

const MINUTE_MS = VELOCITY_WINDOWS.clicksSeconds * 1000;

/**
 * {@link VelocityCounter} on Redis (one server or a Redis Cluster), shared by every tracker: each
 * batch is one pipelined round trip (one pipeline per shard in a cluster, sent together), bounded by
 * {@link VELOCITY_TIMEOUT_MS}. While Redis is not connected no command is sent at all. The key layout
 * and its memory bounds are in velocity-keys.ts.
 */
export class RedisVelocityCounter implements VelocityCounter {
  private available = true;

  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
    private readonly logger?: VelocityLog,
    private readonly timeoutMs = VELOCITY_TIMEOUT_MS,
  ) {}

  /** Starts connecting a client made with `lazyConnect` (a tracker at boot); counts are absent until it is ready. */
  connect(): void {
    if (this.redis.status === 'wait') this.redis.connect().catch(() => undefined);
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }

  async countClicks(clicks: readonly ClickToCount[], at: Date): Promise<ReadonlyMap<string, ClickVelocity> | undefined> {
    const minute = Math.floor(at.getTime() / MINUTE_MS);
    // The previous minute's part still inside the sliding window.
    const carried = 1 - (at.getTime() - minute * MINUTE_MS) / MINUTE_MS;
    const answer = new Map<string, ClickVelocity>(clicks.map((c) => [c.id, {}]));
    // Clicks of one identity share one increment (by their number); each click then gets its own running count.
    // Grouped by what identifies them, digested once per group (a digest per click cost more than the grouping).
    const groups = new Map<string, { dimension: ClickDimension; field: string; apply: Array<(count: number) => void> }>();
    const counted = (dimension: ClickDimension, identity: string, field: () => string, apply: (count: number) => void) => {
      const id = `${dimension}\n${identity}`;
      let group = groups.get(id);
      if (!group) groups.set(id, (group = { dimension, field: field(), apply: [] }));
      group.apply.push(apply);
    };
    for (const click of clicks) {
      const velocity = answer.get(click.id)!;
      const ip = click.ip;
      if (ip && click.count.ip)
        counted(
          'ip',
          ip,
          () => ip,
          (n) => (velocity.ip = n),
        );
      if (ip && click.count.ipUserAgent)
        counted(
          'ipua',
          `${ip}\n${click.userAgent ?? ''}`,
          () => deviceIdentity(ip, click.userAgent),
          (n) => (velocity.ipUserAgent = n),
        );
      for (const param of click.count.subParams) {
        const value = click.subs[param];
        if (value)
          counted(
            'sub',
            `${click.campaignId}\n${param}\n${value}`,
            () => subIdentity(click.campaignId, param, value),
            (n) => ((velocity.subs ??= {})[param] = n),
          );
      }
    }
    if (groups.size === 0) return answer;
    const ttl = 2 * VELOCITY_WINDOWS.clicksSeconds + EXPIRY_SLACK_SECONDS;
    const ok = await this.run((shard) => {
      const expiring = new Set<string>();
      for (const { dimension, field, apply } of groups.values()) {
        const current = clickCounterKey(this.prefix, dimension, field, minute);
        const previous = clickCounterKey(this.prefix, dimension, field, minute - 1);
        let before = 0;
        shard(current).add(
          (p) => p.hincrby(current.key, field, apply.length),
          (total) => (before = Number(total) - apply.length),
        );
        shard(previous).add(
          (p) => p.hget(previous.key, field),
          (last) => {
            const carriedOver = Math.round(Number(last ?? 0) * carried);
            apply.forEach((set, i) => set(carriedOver + before + i + 1));
          },
        );
        if (!expiring.has(current.key)) {
          expiring.add(current.key);
          shard(current).add((p) => p.expire(current.key, ttl));
        }
      }
    });
    return ok ? answer : undefined;
  }

  async countConversions(conversions: readonly ConversionToCount[], at: Date): Promise<ReadonlyMap<string, ConversionVelocity> | undefined> {
    const answer = new Map<string, ConversionVelocity>(conversions.map((c) => [c.id, {}]));
    const now = at.getTime();
    const ok = await this.run((shard) => {
      const count = (dimension: ConversionDimension, identity: string, member: string, seconds: number, set: (n: number) => void) => {
        const key = conversionSetKey(this.prefix, dimension, identity);
        const batch = shard(key);
        batch.add((p) => p.zadd(key.key, now, member));
        batch.add((p) => p.zremrangebyscore(key.key, '-inf', now - seconds * 1000));
        batch.add(
          (p) => p.zcard(key.key),
          (n) => set(Number(n)),
        );
        batch.add((p) => p.expire(key.key, seconds + EXPIRY_SLACK_SECONDS));
      };
      for (const conversion of conversions) {
        if (!conversion.ip) continue;
        const velocity = answer.get(conversion.id)!;
        const { conversionsSeconds, duplicatesSeconds } = VELOCITY_WINDOWS;
        count('cv-ip', conversion.ip, shortDigest(conversion.identity), conversionsSeconds, (n) => (velocity.ipConversions = n));
        count('dup-ip', conversion.ip, conversion.clickId, duplicatesSeconds, (n) => (velocity.ipConvertingClicks = n));
        const device = deviceIdentity(conversion.ip, conversion.userAgent);
        count('dup-dev', device, conversion.clickId, duplicatesSeconds, (n) => (velocity.deviceConvertingClicks = n));
      }
    });
    return ok ? answer : undefined;
  }

  /**
   * Builds the commands (grouped by shard: by the shard's hash tag in a cluster, all together on one
   * server), sends them, and applies the replies. False when Redis is not connected, fails or is slower
   * than the timeout: the caller then has no counts.
   */
  private async run(build: (shard: (key: ShardedKey) => ShardBatch) => void): Promise<boolean> {
    if (this.redis.status !== 'ready') return this.unavailable(`not connected (${this.redis.status})`);
    const cluster = this.redis instanceof Cluster;
    const batches = new Map<number, { pipeline: ChainableCommander; replies: Array<((value: unknown) => void) | undefined> }>();
    build((key) => {
      const id = cluster ? key.shard : 0;
      let batch = batches.get(id);
      if (!batch) batches.set(id, (batch = { pipeline: this.redis.pipeline(), replies: [] }));
      const target = batch;
      return {
        add(command, onReply) {
          command(target.pipeline);
          target.replies.push(onReply);
        },
      };
    });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), this.timeoutMs)));
    const sent = Promise.all([...batches.values()].map(async ({ pipeline, replies }) => ({ replies, results: (await pipeline.exec()) as Reply[] | null })));
    try {
      const outcome = await Promise.race([sent, timeout]);
      if (outcome === 'timeout') {
        // The commands still land (counts stay right for later batches); only this batch goes without.
        sent.catch(() => undefined);
        return this.unavailable(`no answer within ${this.timeoutMs} ms`);
      }
      for (const { replies, results } of outcome) {
        if (!results) return this.unavailable('pipeline discarded');
        for (const [i, [error, value]] of results.entries()) {
          if (error) return this.unavailable(error.message);
          replies[i]?.(value);
        }
      }
    } catch (error) {
      return this.unavailable((error as Error).message);
    } finally {
      clearTimeout(timer);
    }
    if (!this.available) {
      this.available = true;
      this.logger?.log('Redis answers again: velocity and duplicate signals are measured again');
    }
    return true;
  }

  private unavailable(why: string): false {
    if (this.available) {
      this.available = false;
      this.logger?.warn(`velocity counts unavailable (${why}): velocity and duplicate signals are left out until Redis answers`);
    }
    return false;
  }
}
