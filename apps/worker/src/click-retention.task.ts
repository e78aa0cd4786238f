import { Inject, Injectable } from '@nestjs/common';
import type { PostwireConfig } from '@postwire/config';
import { ClickRepository } from '@postwire/persistence';
import { POSTWIRE_CONFIG } from '@postwire/runtime';
import { PeriodicTask } from './periodic-task';

const CHUNK = 10_000;
/** Chunks per pass: a backlog is worked off over several passes rather than in one long burst. */
const MAX_CHUNKS_PER_PASS = 50;

/**
 * CLICK_RETENTION_DAYS: deletes clicks older than that, in chunks. Reports for those days stay
 * whole (they read the rollups) and conversions keep their click's report fields (migration 005);
 * what is lost is the raw click: sub-id reports and late postbacks for those clicks.
 */
@Injectable()
export class ClickRetentionTask extends PeriodicTask {
  protected readonly intervalMs = 10 * 60 * 1000;
  private readonly days?: number;

  constructor(
    private readonly clicks: ClickRepository,
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
    const before = new Date(Date.now() - this.days * 86_400_000);
    let deleted = 0;
    for (let i = 0; i < MAX_CHUNKS_PER_PASS; i++) {
      const n = await this.clicks.deleteOlderThan(before, CHUNK);
      deleted += n;
      if (n < CHUNK) break;
    }
    if (deleted) this.logger.log(`deleted ${deleted} clicks older than ${this.days} days (CLICK_RETENTION_DAYS)`);
    return deleted;
  }
}
