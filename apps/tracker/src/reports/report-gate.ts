import { Inject, Injectable } from '@nestjs/common';
import type { PostwireConfig } from '@postwire/config';
import { POSTWIRE_CONFIG } from '@postwire/runtime';
import { ApiError } from '../http/api-error';

/** Seconds a refused report is told to wait: reports take seconds, not minutes. */
const RETRY_AFTER_SECONDS = 2;

/**
 * At most REPORT_CONCURRENCY reports run at once in this process; one more is refused at once
 * (429 with Retry-After) rather than queued, so a loop of heavy reports cannot pile up work
 * behind the reports pool while clicks and postbacks need the CPU.
 */
@Injectable()
export class ReportGate {
  private running = 0;

  constructor(@Inject(POSTWIRE_CONFIG) private readonly config: PostwireConfig) {}

  /** Runs `work` within the cap, or refuses with 429. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    const cap = this.config.reports.concurrency;
    if (this.running >= cap) {
      throw new ApiError('too_many_reports', `${cap} report(s) are already running (REPORT_CONCURRENCY); retry shortly`, undefined, {
        'retry-after': String(RETRY_AFTER_SECONDS),
      });
    }
    this.running++;
    try {
      return await work();
    } finally {
      this.running--;
    }
  }
}
