import type { RedisOptions } from 'ioredis';

/** Turns `redis://user:pass@host:port/db` (or `rediss://` for TLS) into ioredis options. */
export function redisOptionsFromUrl(url: string): RedisOptions {
  const u = new URL(url);
  const db = u.pathname.replace('/', '');
  return {
    host: u.hostname.replace(/^\[|\]$/g, ''),
    port: u.port ? Number(u.port) : 6379,
    username: u.username ? decodeURIComponent(u.username) : undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    db: db ? Number(db) : undefined,
    tls: u.protocol === 'rediss:' ? {} : undefined,
  };
}

/**
 * Producer side (tracker): fail fast instead of queueing commands while Redis is away, so a
 * postback is answered at once; the delivery is already safe in Postgres and the sweeper
 * enqueues it when Redis is back (BullMQ's guidance for producers in request paths).
 */
export function producerRedisOptions(url: string): RedisOptions {
  return { ...redisOptionsFromUrl(url), enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 2000 };
}

/** Worker side: wait for Redis forever and reconnect with capped backoff (BullMQ's guidance for workers). */
export function workerRedisOptions(url: string): RedisOptions {
  // BullMQ itself sets maxRetriesPerRequest to null on the blocking connections it makes from these.
  return { ...redisOptionsFromUrl(url), retryStrategy: (times) => Math.min(times * 200, 5000) };
}
