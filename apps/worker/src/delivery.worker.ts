import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import type { PostwireConfig } from '@postwire/config';
import { DeliveryProcessor } from '@postwire/forwarding';
import { DELIVERY_QUEUE_NAME, POSTWIRE_CONFIG, type DeliveryJobData } from '@postwire/runtime';
import { DelayedError, type Job } from 'bullmq';

/**
 * The BullMQ shell around {@link DeliveryProcessor}. A failed attempt does not fail the job: the
 * job is moved back to delayed with the wait the retry policy chose, so it keeps its id (the
 * delivery id) for its whole life and cannot be doubled by a re-enqueue.
 */
@Processor(DELIVERY_QUEUE_NAME, { concurrency: 20, lockDuration: 60_000, maxStalledCount: 1_000_000 })
export class DeliveryWorker extends WorkerHost implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Forwarding');

  constructor(
    private readonly processor: DeliveryProcessor,
    @Inject(POSTWIRE_CONFIG) private readonly config: PostwireConfig,
  ) {
    super();
  }

  onModuleInit(): void {
    this.worker.concurrency = this.config.forwarding.concurrency;
    this.worker.on('error', (error) => this.logger.warn(`worker connection: ${error.message}`));
  }

  async process(job: Job<DeliveryJobData>, token?: string): Promise<string> {
    const result = await this.processor.process(job.data.deliveryId);
    if (result.kind === 'retry') {
      await job.moveToDelayed(Date.now() + result.delayMs, token);
      throw new DelayedError();
    }
    if (result.kind === 'dead') this.logger.warn(`delivery ${job.data.deliveryId} is dead: ${result.reason}`);
    return result.kind;
  }

  /** Finish in-flight deliveries before the process goes (BullMQ waits for active jobs on close). */
  async onApplicationShutdown(): Promise<void> {
    await this.worker.close();
  }
}
