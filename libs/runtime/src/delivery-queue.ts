import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import type { PostwireConfig } from '@postwire/config';
import { GroupCommit } from '@postwire/core';
import { Queue } from 'bullmq';
import { bullConnection, bullPrefix, closeBullConnection } from './redis-connection';
import { DELIVERY_QUEUE_NAME, POSTWIRE_CONFIG } from './tokens';

export interface DeliveryJobData {
  deliveryId: string;
}

/** Most jobs in one `addBulk`: one MULTI that Redis runs without serving anyone else meanwhile. */
const MAX_JOBS_PER_ADD = 1000;

/** One `enqueue` call waiting for its turn's `addBulk`. */
interface PendingEnqueue {
  ids: readonly string[];
  delay: number;
}

/**
 * The producer side of forwarding. A job's id is the delivery id, so adding the same delivery
 * twice while its job exists is a no-op. Enqueueing never throws into a request: the delivery
 * row is already committed, and the sweeper enqueues anything that did not make it.
 *
 * The calls made in one event-loop turn share one `addBulk` (a pipeline and a script run per job,
 * but one round trip and one MULTI), through the one group-commit primitive ({@link GroupCommit}):
 * under load, the postbacks whose commits were answered together are enqueued together. No timer: a
 * lone call waits only for the end of its turn. Unlike clicks and postbacks, an `addBulk` does not
 * wait for the one before it (no limit in flight): Redis runs each MULTI alone anyway, and a turn's
 * jobs waiting for the previous round trip would only be late.
 */
@Injectable()
export class DeliveryQueue implements OnApplicationShutdown {
  private readonly logger = new Logger(DeliveryQueue.name);
  private warnedAt = 0;
  private readonly batches = new GroupCommit<PendingEnqueue, number>((calls) => this.add(calls), {
    maxBatch: MAX_JOBS_PER_ADD,
    maxInFlight: Infinity,
    // A call is never split: its jobs count towards MAX_JOBS_PER_ADD together.
    weigh: (call) => call.ids.length,
  });

  private readonly queue: Queue<DeliveryJobData>;
  private readonly connection: ReturnType<typeof bullConnection>;

  constructor(@Inject(POSTWIRE_CONFIG) config: PostwireConfig) {
    this.connection = bullConnection(config, 'producer');
    this.queue = new Queue<DeliveryJobData>(DELIVERY_QUEUE_NAME, { connection: this.connection, prefix: bullPrefix(config) });
    this.queue.on('error', (error) => this.warn(`queue connection: ${error.message}`));
  }

  /**
   * Adds jobs for deliveries due now or at `runAt`; resolves to the number that reached Redis (all
   * of them or, when the turn's `addBulk` failed, none; the failure is logged). Never rejects.
   */
  enqueue(deliveryIds: readonly string[], runAt?: Date): Promise<number> {
    if (deliveryIds.length === 0) return Promise.resolve(0);
    const delay = runAt ? Math.max(0, runAt.getTime() - Date.now()) : 0;
    return this.batches.add({ ids: deliveryIds, delay });
  }

  /** One `addBulk` for the calls of a turn (at most MAX_JOBS_PER_ADD jobs); answers each call with the jobs that reached Redis. */
  private async add(calls: PendingEnqueue[]): Promise<number[]> {
    // A failed job would keep its id and so block the sweeper from adding the delivery again;
    // nothing is lost by dropping it, the attempt log is in Postgres.
    const opts = { removeOnComplete: true, removeOnFail: true };
    try {
      await withTimeout(
        this.queue.addBulk(
          calls.flatMap((c) => c.ids.map((id) => ({ name: 'deliver', data: { deliveryId: id }, opts: { ...opts, delay: c.delay, jobId: id } }))),
        ),
        2000,
      );
      return calls.map((c) => c.ids.length);
    } catch (error) {
      const jobs = calls.reduce((sum, c) => sum + c.ids.length, 0);
      this.warn(`could not enqueue ${jobs} deliveries (the sweeper will): ${(error as Error).message}`);
      return calls.map(() => 0);
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
    // What the last turn collected goes out before the connection closes (the sweeper would find it, later).
    await this.batches.flush();
    await this.queue.close().catch(() => undefined);
    await closeBullConnection(this.connection);
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
