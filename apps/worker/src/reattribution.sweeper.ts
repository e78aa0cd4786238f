import { Inject, Injectable } from '@nestjs/common';
import type { PostwireConfig } from '@postwire/config';
import { Reattributor } from '@postwire/persistence';
import { DeliveryQueue, POSTWIRE_CONFIG } from '@postwire/runtime';
import { PeriodicTask } from './periodic-task';

/** Gives unattributed postbacks another go once their click has been written. */
@Injectable()
export class ReattributionSweeper extends PeriodicTask {
  protected readonly intervalMs: number;

  constructor(
    private readonly reattributor: Reattributor,
    private readonly queue: DeliveryQueue,
    @Inject(POSTWIRE_CONFIG) config: PostwireConfig,
  ) {
    super();
    this.intervalMs = config.forwarding.sweepIntervalMs;
  }

  protected async pass(): Promise<number> {
    const run = await this.reattributor.run();
    const deliveryIds = run.results.flatMap((r) => r.deliveryIds);
    if (deliveryIds.length) await this.queue.enqueue(deliveryIds);
    if (run.attempted) this.logger.log(`re-attributed ${run.attempted} postbacks whose click arrived late`);
    return run.attempted;
  }
}
