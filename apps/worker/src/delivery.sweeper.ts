import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import type { PostwireConfig } from '@postwire/config';
import { DeliveryRepository } from '@postwire/persistence';
import { DeliveryQueue, POSTWIRE_CONFIG } from '@postwire/runtime';

/**
 * Postgres is the record of what is owed; Redis only schedules it. Every few seconds this puts
 * back in the queue any pending delivery that is overdue — its job was never added (crash or Redis
 * outage between commit and enqueue) or was lost (Redis flushed). Re-adding a job that still
 * exists is a no-op because the job id is the delivery id.
 */
@Injectable()
export class DeliverySweeper implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Sweeper');
  private timer?: NodeJS.Timeout;
  private running = false;

  constructor(
    private readonly deliveries: DeliveryRepository,
    private readonly queue: DeliveryQueue,
    @Inject(POSTWIRE_CONFIG) private readonly config: PostwireConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.sweep(), this.config.forwarding.sweepIntervalMs);
    this.timer.unref();
  }

  // Before the database closes, so no sweep starts on a closing pool.
  beforeApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** One pass; returns how many deliveries were handed to the queue. */
  async sweep(): Promise<number> {
    if (this.running) return 0;
    this.running = true;
    try {
      // Grace of one interval: a job added right after commit is not overdue yet.
      const overdue = await this.deliveries.listOverdue(new Date(), this.config.forwarding.sweepIntervalMs, 1000);
      if (overdue.length === 0) return 0;
      const enqueued = await this.queue.enqueue(overdue.map((d) => d.id));
      if (enqueued) this.logger.log(`re-enqueued ${enqueued} overdue deliveries`);
      return enqueued;
    } catch (error) {
      this.logger.warn(`sweep failed: ${(error as Error).message}`);
      return 0;
    } finally {
      this.running = false;
    }
  }
}
