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
    // A failed job would keep its id and so block the sweeper from adding the delivery again;
    // nothing is lost by dropping it, the attempt log is in Postgres.
    const opts = { delay, removeOnComplete: true, removeOnFail: true };
    try {
      await withTimeout(this.queue.addBulk(deliveryIds.map((id) => ({ name: 'deliver', data: { deliveryId: id }, opts: { ...opts, jobId: id } }))), 2000);
      return deliveryIds.length;
    } catch (error) {
      this.warn(`could not enqueue ${deliveryIds.length} deliveries (the sweeper will): ${(error as Error).message}`);
      return 0;
    }
  }

  /**
   * Drops the jobs left over from earlier runs of these deliveries (a delayed retry), so a re-send
   * is queued for now. A job being worked on is locked and stays: its attempt finishes first.
   */
  async removeJobs(deliveryIds: readonly string[]): Promise<void> {
    for (let i = 0; i < deliveryIds.length; i += 200) {
      const chunk = deliveryIds.slice(i, i + 200);
      await Promise.all(chunk.map((id) => withTimeout(this.queue.remove(id), 2000).catch(() => undefined)));
    }
  }

  /** Jobs per state, for the metrics; throws when Redis does not answer within a second. */
  async counts(): Promise<Record<string, number>> {
    return withTimeout(this.queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'failed'), 1000);
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
