import { Inject, Injectable } from '@nestjs/common';
import type { PostwireConfig } from '@postwire/config';
import { ClickRetention } from '@postwire/persistence';
import { POSTWIRE_CONFIG } from '@postwire/runtime';
import { PeriodicTask } from './periodic-task';

/**
 * CLICK_RETENTION_DAYS: drops the daily click partitions older than that (a plain, not yet converted
 * table is deleted from in chunks). Reports for those days stay whole (they read the rollups) and
 * conversions keep their click's report fields (migration 005); what is lost is the raw click:
 * sub-id reports and late postbacks for those clicks.
 */
@Injectable()
export class ClickRetentionTask extends PeriodicTask {
  protected readonly intervalMs = 10 * 60 * 1000;
  private readonly days?: number;

  constructor(
    private readonly retention: ClickRetention,
    @Inject(POSTWIRE_CONFIG) config: PostwireConfig,
  ) {
    super();
    this.days = config.reports.clickRetentionDays;
  }

  override onApplicationBootstrap(): void {
    if (this.days === undefined) return;
    super.onApplicationBootstrap();
    void this.runOnce();
  }

  protected async pass(): Promise<number> {
    if (this.days === undefined) return 0;
    const { dropped, deleted } = await this.retention.apply(new Date(Date.now() - this.days * 86_400_000));
    if (dropped.length) this.logger.log(`dropped click partitions older than ${this.days} days (CLICK_RETENTION_DAYS): ${dropped.join(', ')}`);
    if (deleted) this.logger.log(`deleted ${deleted} clicks older than ${this.days} days (CLICK_RETENTION_DAYS)`);
    return dropped.length + deleted;
  }
}
