import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DELIVERY_QUEUE_NAME } from '@postwire/runtime';
import type { Queue } from 'bullmq';

/** BullMQ loses jobs if Redis may evict keys; say so loudly at boot. */
@Injectable()
export class RedisPolicyCheck implements OnApplicationBootstrap {
  private readonly logger = new Logger('Redis');

  constructor(@InjectQueue(DELIVERY_QUEUE_NAME) private readonly queue: Queue) {}

  onApplicationBootstrap(): void {
    void this.check();
  }

  private async check(): Promise<void> {
    try {
      const client = (await this.queue.client) as unknown as { config(op: 'GET', key: string): Promise<string[]> };
      const [, policy] = await client.config('GET', 'maxmemory-policy');
      if (policy && policy !== 'noeviction') {
        this.logger.warn(
          `Redis maxmemory-policy is "${policy}"; set it to "noeviction" or queued deliveries can be evicted (Postgres still has them, the sweeper re-enqueues).`,
        );
      }
    } catch {
      // Managed Redis often forbids CONFIG; nothing to check then.
    }
  }
}
