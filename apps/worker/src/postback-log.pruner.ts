import { Inject, Injectable } from '@nestjs/common';
import type { PostwireConfig } from '@postwire/config';
import { PostbackLogRetention } from '@postwire/persistence';
import { POSTWIRE_CONFIG } from '@postwire/runtime';
import { PeriodicTask } from './periodic-task';

const DAY_MS = 86_400_000;
/** Expiry is counted in days; an hourly pass keeps the table within an hour of the retention. */
export const PRUNE_INTERVAL_MS = 3_600_000;

/**
 * Removes postback-log rows that booked nothing (unattributed, pixel hits naming no known click,
 * rejected, refused) once they are older than POSTBACK_LOG_RETENTION_DAYS: at boot, then hourly. On the
 * partitioned log whole days go (PostbackLogRetention).
 */
@Injectable()
export class PostbackLogPruner extends PeriodicTask {
  protected readonly intervalMs = PRUNE_INTERVAL_MS;
  private readonly retentionDays: number;

  constructor(
    private readonly retention: PostbackLogRetention,
    @Inject(POSTWIRE_CONFIG) config: PostwireConfig,
  ) {
    super();
    this.retentionDays = config.postbackLogRetentionDays;
  }

  override onApplicationBootstrap(): void {
    super.onApplicationBootstrap();
    // A worker restarted more often than hourly would otherwise never prune.
    void this.runOnce();
  }

  protected async pass(): Promise<number> {
    const { dropped, deleted } = await this.retention.prune(new Date(Date.now() - this.retentionDays * DAY_MS));
    if (dropped.length) this.logger.log(`dropped postback-log partitions older than ${this.retentionDays} days: ${dropped.join(', ')}`);
    if (deleted) this.logger.log(`deleted ${deleted} unattributed or rejected postback-log rows older than ${this.retentionDays} days`);
    return deleted + dropped.length;
  }
}
