import type { PostwireConfig } from '@postwire/config';
import { Cluster, Redis, type RedisOptions } from 'ioredis';
import { producerRedisOptions, redisOptionsFromUrl, workerRedisOptions } from './redis-options';

/** A connection to the configured Redis: one server, or a Redis Cluster when `REDIS_CLUSTER_NODES` is set. */
export type RedisClient = Redis | Cluster;

/**
 * How a connection behaves while Redis is away. `producer`: commands fail at once (request paths,
 * which must not wait for Redis); `worker`: commands wait and the connection keeps reconnecting.
 */
export type RedisRole = 'producer' | 'worker';

/** Delay before asking the cluster again for its slot map after a lost node (a failover takes the cluster a few seconds). */
const FAILOVER_RETRY_MS = 300;

export function usesRedisCluster(config: Pick<PostwireConfig, 'redisClusterNodes'>): boolean {
  return config.redisClusterNodes.length > 0;
}

/**
 * BullMQ's key prefix. A BullMQ script touches several keys of a queue at once, which a Redis Cluster
 * only allows when they hash to one slot: in a cluster the prefix is a hash tag (`{postwire}`), so
 * every key of every queue lands on the same slot (BullMQ's own advice). Outside a cluster it stays
 * as it was, so an existing single-Redis deployment keeps its keys.
 */
export function bullPrefix(config: Pick<PostwireConfig, 'queuePrefix' | 'redisClusterNodes'>): string {
  return usesRedisCluster(config) ? `{${config.queuePrefix}}` : config.queuePrefix;
}

/**
 * A new connection to the configured Redis. `extra` applies to every connection it opens (in a cluster,
 * one per node). The caller closes it (`quit()`).
 */
export function createRedisClient(config: Pick<PostwireConfig, 'redisUrl' | 'redisClusterNodes'>, role: RedisRole, extra: RedisOptions = {}): RedisClient {
  if (!usesRedisCluster(config)) {
    const options = role === 'producer' ? producerRedisOptions(config.redisUrl) : workerRedisOptions(config.redisUrl);
    return new Redis({ ...options, ...extra });
  }
  // REDIS_URL still carries the credentials and TLS of the cluster's nodes; its host is not used.
  const { username, password, tls } = redisOptionsFromUrl(config.redisUrl);
  const perNode: RedisOptions = { username, password, tls, connectTimeout: 2000, ...extra };
  if (role === 'worker') perNode.maxRetriesPerRequest = null; // BullMQ's blocking connections require it
  return new Cluster(
    config.redisClusterNodes.map(({ host, port }) => ({ host, port })),
    {
      redisOptions: perNode,
      // Producers fail fast while the cluster is not reachable at all, like a single Redis (see producerRedisOptions).
      enableOfflineQueue: role === 'worker',
      // Keep asking the seed nodes (capped backoff) instead of giving up when none answers for a while.
      clusterRetryStrategy: (times) => Math.min(times * 200, 5000),
      retryDelayOnFailover: FAILOVER_RETRY_MS,
      retryDelayOnClusterDown: FAILOVER_RETRY_MS,
      slotsRefreshTimeout: 2000,
      // TLS certificates name the host, and the nodes announce addresses: keep the name the cluster gave.
      dnsLookup: (address, callback) => callback(null, address),
    },
  );
}

/**
 * What BullMQ is given as `connection`: options for a single Redis (BullMQ opens and closes its own
 * connections from them, as before), a {@link Cluster} for a cluster (BullMQ cannot make one from
 * options). BullMQ does not close a connection it was handed: release it with {@link closeBullConnection}.
 */
export function bullConnection(config: Pick<PostwireConfig, 'redisUrl' | 'redisClusterNodes'>, role: RedisRole): RedisOptions | Cluster {
  if (!usesRedisCluster(config)) return role === 'producer' ? producerRedisOptions(config.redisUrl) : workerRedisOptions(config.redisUrl);
  return createRedisClient(config, role) as Cluster;
}

/** Closes a connection made by {@link bullConnection} once its queue or worker is closed (nothing to do for options). */
export async function closeBullConnection(connection: RedisOptions | Cluster): Promise<void> {
  if (connection instanceof Cluster) await connection.quit().catch(() => connection.disconnect());
}
