import { BeforeApplicationShutdown, Logger, OnApplicationBootstrap } from '@nestjs/common';

/** A background pass run every `intervalMs`, never overlapping itself, stopped on shutdown. */
export abstract class PeriodicTask implements OnApplicationBootstrap, BeforeApplicationShutdown {
  protected readonly logger = new Logger(this.constructor.name);
  private timer?: NodeJS.Timeout;
  private running = false;

  protected abstract readonly intervalMs: number;

  /** One pass; returns a count for the log (0 stays quiet). */
  protected abstract pass(): Promise<number>;

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.runOnce(), this.intervalMs);
    this.timer.unref();
  }

  // Before the database closes, so no pass starts on a closing pool.
  beforeApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  async runOnce(): Promise<number> {
    if (this.running) return 0;
    this.running = true;
    try {
      return await this.pass();
    } catch (error) {
      this.logger.warn(`pass failed: ${(error as Error).message}`);
      return 0;
    } finally {
      this.running = false;
    }
  }
}
