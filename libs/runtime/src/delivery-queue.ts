import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import type { PostwireConfig } from '@postwire/config';
import { Queue } from 'bullmq';
import { producerRedisOptions } from './redis-options';
import { DELIVERY_QUEUE_NAME, POSTWIRE_CONFIG } from './tokens';

export interface DeliveryJobData {
  deliveryId: string;
}

/**
 * The producer side of forwarding. A job's id is the delivery id, so adding the same delivery
 * twice while its job exists is a no-op. Enqueueing never throws into a request: the delivery
 * row is already committed, and the sweeper enqueues anything that did not make it.
 */
@Injectable()
export class DeliveryQueue implements OnApplicationShutdown {
  private readonly logger = new Logger(DeliveryQueue.name);
  private warnedAt = 0;

  private readonly queue: Queue<DeliveryJobData>;

  constructor(@Inject(POSTWIRE_CONFIG) config: PostwireConfig) {
    this.queue = new Queue<DeliveryJobData>(DELIVERY_QUEUE_NAME, { connection: producerRedisOptions(config.redisUrl), prefix: config.queuePrefix });
    this.queue.on('error', (error) => this.warn(`queue connection: ${error.message}`));
  }

  /** Adds jobs for deliveries due now or at `runAt`; resolves to the number that reached Redis. */
  async enqueue(deliveryIds: readonly string[], runAt?: Date): Promise<number> {
    if (deliveryIds.length === 0) return 0;
    const delay = runAt ? Math.max(0, runAt.getTime() - Date.now()) : 0;
    try {
      await withTimeout(
        this.queue.addBulk(
          deliveryIds.map((id) => ({ name: 'deliver', data: { deliveryId: id }, opts: { jobId: id, delay, removeOnComplete: true, removeOnFail: 1000 } })),
        ),
        2000,
      );
      return deliveryIds.length;
    } catch (error) {
      this.warn(`could not enqueue ${deliveryIds.length} deliveries (the sweeper will): ${(error as Error).message}`);
      return 0;
    }
  }

  /** Drops a job left over from an earlier run of a delivery (used before an admin retry). */
  async removeJob(deliveryId: string): Promise<void> {
    await withTimeout(this.queue.remove(deliveryId), 2000).catch(() => undefined);
  }

  async ping(): Promise<void> {
    // BullMQ types its client loosely; it is an ioredis client underneath.
    const client = (await withTimeout(this.queue.client, 1000)) as unknown as { ping(): Promise<string> };
    await withTimeout(client.ping(), 1000);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.queue.close().catch(() => undefined);
  }

  private warn(message: string): void {
    // One line per 10 s at most: a Redis outage must not flood the log.
    if (Date.now() - this.warnedAt < 10_000) return;
    this.warnedAt = Date.now();
    this.logger.warn(message);
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Redis did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
