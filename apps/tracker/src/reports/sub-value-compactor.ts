import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { SubValueRollups, type SubValueProgress } from '@postwire/persistence';

/** What the compactor drives: SubValueRollups (027) or SubPairRollups (034), which fill their buckets alike. */
export type BucketRollups = Pick<SubValueRollups, 'progress' | 'compactPending' | 'analyze'>;

/** A day is compacted this long after it ended: clicks still in a batch or a retry land before. Later ones make it stale (and it is compacted again). */
const GRACE_MS = 60 * 60 * 1000;
/** How often ended days and weeks (and stale ones) are looked for once the backfill is done. */
const SWEEP_MS = 10 * 60 * 1000;

/** What /health shows of the sub-id value rollups' job. */
export interface SubValueCompactionStatus extends SubValueProgress {
  /** True while a pass is writing buckets (the backfill after an upgrade, or a day that ended). */
  running: boolean;
  lastError?: string;
}

/**
 * Fills sub_value_rollups (migration 027) in the background: after an upgrade, every ended day and
 * week of the existing clicks, newest first, one per transaction, while the tracker serves; then
 * each day and week as it ends. Reports read the value rollups only for what is written and
 * current, so they stay exact during the backfill (and read the slower per-campaign rollups for the
 * rest). Several trackers may run it: a bucket is written by whoever holds the lock.
 */
@Injectable()
export class SubValueCompactor implements OnApplicationBootstrap, OnApplicationShutdown {
  protected readonly logger: Logger = new Logger('SubValueRollups');
  /** What the log lines call the table. */
  protected readonly what: string = 'sub-id value rollups';
  private timer?: NodeJS.Timeout;
  private stopped = false;
  private pass?: Promise<void>;
  // Running until the first pass has looked: a caller waiting for the fill must not take "nothing pending yet" for "done".
  private state: SubValueCompactionStatus = { done: 0, pending: 0, running: true };

  // The token named: a type alias leaves Nest no class to resolve.
  constructor(@Inject(SubValueRollups) private readonly rollups: BucketRollups) {}

  onApplicationBootstrap(): void {
    const run = () => {
      this.pass ??= this.runPass().finally(() => (this.pass = undefined));
    };
    // Not awaited: the tracker answers while the backfill runs.
    setImmediate(run);
    this.timer = setInterval(run, SWEEP_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.pass;
  }

  status(): SubValueCompactionStatus {
    return { ...this.state };
  }

  /** Writes what is pending now; progress is refreshed every few buckets for /health. */
  async runPass(now = new Date()): Promise<void> {
    const before = new Date(now.getTime() - GRACE_MS);
    try {
      this.state = { ...(await this.rollups.progress(before)), running: true };
      if (this.state.pending === 0) return;
      const started = Date.now();
      this.logger.log(`writing ${this.state.pending} day(s) and week(s) of ${this.what} in the background`);
      let written = 0;
      while (!this.stopped) {
        const step = await this.rollups.compactPending(before, { max: 10, stop: () => this.stopped, analyze: false });
        written += step;
        this.state = { ...(await this.rollups.progress(before)), running: step > 0 };
        if (step === 0 || this.state.pending === 0) break;
      }
      if (written > 0) await this.rollups.analyze();
      this.logger.log(`wrote ${written} day(s) and week(s) of ${this.what} in ${Math.round((Date.now() - started) / 1000)} s`);
    } catch (error) {
      this.state = { ...this.state, lastError: (error as Error).message };
      this.logger.warn(`${this.what}: ${(error as Error).message}`);
    } finally {
      this.state.running = false;
    }
  }
}
