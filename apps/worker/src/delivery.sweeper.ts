import { Inject, Injectable } from '@nestjs/common';
import type { PostwireConfig } from '@postwire/config';
import { DeliveryRepository } from '@postwire/persistence';
import { DeliveryQueue, POSTWIRE_CONFIG } from '@postwire/runtime';
import { PeriodicTask } from './periodic-task';

/**
 * Postgres is the record of what is owed; Redis only schedules it. Every few seconds this puts
 * back in the queue any pending delivery that is overdue — its job was never added (crash or Redis
 * outage between commit and enqueue) or was lost (Redis flushed). Re-adding a job that still
 * exists is a no-op because the job id is the delivery id.
 */
@Injectable()
export class DeliverySweeper extends PeriodicTask {
  protected readonly intervalMs: number;

  constructor(
    private readonly deliveries: DeliveryRepository,
    private readonly queue: DeliveryQueue,
    @Inject(POSTWIRE_CONFIG) config: PostwireConfig,
  ) {
    super();
    this.intervalMs = config.forwarding.sweepIntervalMs;
  }

  /** One pass; returns how many deliveries were handed to the queue. */
  protected async pass(): Promise<number> {
    // Grace of one interval: a job added right after commit is not overdue yet.
    const overdue = await this.deliveries.listOverdue(new Date(), this.intervalMs, 1000);
    if (overdue.length === 0) return 0;
    const enqueued = await this.queue.enqueue(overdue.map((d) => d.id));
    if (enqueued) this.logger.log(`re-enqueued ${enqueued} overdue deliveries`);
    return enqueued;
  }
}
