import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DELIVERY_QUEUE_NAME } from '@postwire/runtime';
import type { Queue } from 'bullmq';
import type { Cluster, Redis } from 'ioredis';

/** BullMQ loses jobs if Redis may evict keys; say so loudly at boot. */
@Injectable()
export class RedisPolicyCheck implements OnApplicationBootstrap {
  private readonly logger = new Logger('Redis');

  constructor(@InjectQueue(DELIVERY_QUEUE_NAME) private readonly queue: Queue) {}

  onApplicationBootstrap(): void {
    void this.check();
  }

  /**
   * The nodes whose eviction policy is not `noeviction`: every node of a cluster, replicas too (a
   * replica becomes the master after a failover).
   */
  async evictingNodes(): Promise<Array<{ node?: string; policy: string }>> {
    // BullMQ types its client loosely; it is an ioredis client (or Cluster) underneath.
    const client = (await this.queue.client) as unknown as Redis | Cluster;
    const cluster = 'nodes' in client && typeof client.nodes === 'function';
    // A cluster knows all its nodes (replicas too) only once it has read the slot map: 'ready'.
    if (cluster && client.status !== 'ready') await new Promise((resolve) => client.once('ready', resolve));
    const nodes: Redis[] = cluster ? client.nodes('all') : [client as Redis];
    const evicting: Array<{ node?: string; policy: string }> = [];
    for (const node of nodes) {
      try {
        const [, policy] = (await node.config('GET', 'maxmemory-policy')) as string[];
        if (policy && policy !== 'noeviction') evicting.push({ node: cluster ? `${node.options.host}:${node.options.port}` : undefined, policy });
      } catch {
        // Managed Redis often forbids CONFIG; nothing to check there.
      }
    }
    return evicting;
  }

  private async check(): Promise<void> {
    const evicting = await this.evictingNodes().catch(() => []);
    for (const { node, policy } of evicting) {
      this.logger.warn(
        `Redis maxmemory-policy is "${policy}"${node ? ` on cluster node ${node}` : ''}; set it to "noeviction" or queued deliveries can be evicted (Postgres still has them, the sweeper re-enqueues).`,
      );
    }
  }
}
