import { Injectable } from '@nestjs/common';
import { AD_CLICK_ID_RETENTION_DAYS } from '@postwire/core';
import { ClickRepository } from '@postwire/persistence';
import { PeriodicTask } from './periodic-task';

const CHUNK = 10_000;
const MAX_CHUNKS = 50;

/**
 * Forgets the ad-platform click identifiers (fbclid, gclid, ttclid…) and landing URL of clicks older than the
 * longest window a platform takes conversions for (AD_CLICK_ID_RETENTION_DAYS, Google's 90 days), hourly,
 * whatever CLICK_RETENTION_DAYS keeps of the clicks themselves (docs/forwarding.md).
 */
@Injectable()
export class AdClickIdRetentionTask extends PeriodicTask {
  protected readonly intervalMs = 60 * 60 * 1000;

  constructor(private readonly clicks: ClickRepository) {
    super();
  }

  protected async pass(): Promise<number> {
    const cutoff = new Date(Date.now() - AD_CLICK_ID_RETENTION_DAYS * 86_400_000);
    let cleared = 0;
    for (let i = 0; i < MAX_CHUNKS; i++) {
      const n = await this.clicks.clearAdIdsOlderThan(cutoff, CHUNK);
      cleared += n;
      if (n < CHUNK) break;
    }
    if (cleared) this.logger.log(`cleared the ad click ids of ${cleared} clicks older than ${AD_CLICK_ID_RETENTION_DAYS} days`);
    return cleared;
  }
}
