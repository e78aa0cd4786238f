import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import type { PostwireConfig } from '@postwire/config';
import { DeliveryProcessor } from '@postwire/forwarding';
import { isDatabaseUnavailable, type SqlClient } from '@postwire/persistence';
import { bullConnection, bullPrefix, closeBullConnection, DELIVERY_QUEUE_NAME, POSTWIRE_CONFIG, SQL_CLIENT, type DeliveryJobData } from '@postwire/runtime';
import { DelayedError, Worker, type Job } from 'bullmq';
import { StoreOutage } from './store-outage';

/** How long a shutdown waits for in-flight deliveries before leaving them to another worker (below docker-compose's 30 s stop grace). */
export const SHUTDOWN_GRACE_MS = 25_000;

/** Wait before a job whose run failed unexpectedly is tried again. */
const ERROR_RETRY_MS = 5000;

/** While paused for the database: how often it is asked whether it is back. */
const DATABASE_PROBE_MS = 1000;

/**
 * The BullMQ worker around {@link DeliveryProcessor}. A failed attempt does not fail the job: the
 * job is moved back to delayed with the wait the retry policy chose, so it keeps its id (the
 * delivery id) for its whole life and cannot be doubled by a re-enqueue.
 *
 * While the database cannot be reached the worker is paused: it takes no job from the queue (so
 * none is claimed, sent or delayed in vain) until the database answers again, then resumes. The
 * jobs that were running go back to delayed under their own ids, and an attempt already sent is
 * logged once the database is back (DeliveryProcessor), so no delivery is lost or sent twice.
 *
 * The worker is made here rather than through `@Processor`, because its lock and stalled-check
 * settings come from the configuration, which a decorator cannot read.
 */
@Injectable()
export class DeliveryWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Forwarding');
  private worker?: Worker<DeliveryJobData>;
  private connection?: ReturnType<typeof bullConnection>;
  /** Set while paused for the database; resolves when it answers again (or on shutdown). */
  private pausedForDatabase?: Promise<void>;
  private closing = false;

  constructor(
    private readonly processor: DeliveryProcessor,
    @Inject(POSTWIRE_CONFIG) private readonly config: PostwireConfig,
    @Inject(SQL_CLIENT) private readonly db: Pick<SqlClient, 'ping'>,
    outage: StoreOutage,
  ) {
    // An attempt sent just before the database went away is logged by its job until the database is back;
    // meanwhile no other job is taken either.
    outage.onReport((error) => this.pauseUntilDatabaseAnswers(error));
  }

  /** True while the worker takes no jobs because the database is away. */
  get paused(): boolean {
    return this.pausedForDatabase !== undefined;
  }

  onApplicationBootstrap(): void {
    const { concurrency, lockMs } = this.config.forwarding;
    this.connection = bullConnection(this.config, 'worker');
    this.worker = new Worker<DeliveryJobData>(DELIVERY_QUEUE_NAME, (job, token) => this.process(job, token), {
      connection: this.connection,
      prefix: bullPrefix(this.config),
      concurrency,
      // The lock is renewed every lockMs / 2 while a delivery runs; it only runs out when the
      // worker died, and then the stalled check (same period) hands the job to another worker.
      lockDuration: lockMs,
      stalledInterval: lockMs,
      // A stalled job goes back to waiting however often it stalled: Postgres, not a stall count, decides when a delivery is dead.
      maxStalledCount: Number.MAX_SAFE_INTEGER,
    });
    this.worker.on('error', (error) => this.logger.warn(`worker connection: ${error.message}`));
  }

  async process(job: Job<DeliveryJobData>, token?: string): Promise<string> {
    let result;
    try {
      result = await this.processor.process(job.data.deliveryId);
    } catch (error) {
      // Failing the job would drop it; keep it and try again shortly (the delivery is still pending in Postgres).
      if (isDatabaseUnavailable(error)) {
        this.pauseUntilDatabaseAnswers(error as Error);
        result = { kind: 'retry' as const, delayMs: DATABASE_PROBE_MS };
      } else {
        this.logger.warn(`delivery ${job.data.deliveryId}: ${(error as Error).message}; trying again in ${ERROR_RETRY_MS} ms`);
        result = { kind: 'retry' as const, delayMs: ERROR_RETRY_MS };
      }
    }
    if (result.kind === 'retry') {
      await job.moveToDelayed(Date.now() + result.delayMs, token);
      throw new DelayedError();
    }
    if (result.kind === 'dead') this.logger.warn(`delivery ${job.data.deliveryId} is dead: ${result.reason}`);
    return result.kind;
  }

  /** Pauses the worker (jobs already running finish on their own) and resumes it once the database answers. */
  private pauseUntilDatabaseAnswers(cause: Error): void {
    const worker = this.worker;
    if (!worker || this.pausedForDatabase || this.closing) return;
    this.logger.warn(`the database cannot be reached (${cause.message}); forwarding paused until it answers`);
    this.pausedForDatabase = (async () => {
      // Without waiting for the running jobs: this is called from one of them.
      await worker.pause(true);
      while (!this.closing) {
        await new Promise((r) => setTimeout(r, DATABASE_PROBE_MS).unref());
        try {
          await this.db.ping();
          break;
        } catch {
          // still away
        }
      }
      if (this.closing) return;
      worker.resume();
      this.logger.log('the database answers again; forwarding resumed');
    })()
      .catch((error: Error) => this.logger.error(`pausing for the database: ${error.message}`))
      .finally(() => (this.pausedForDatabase = undefined));
  }

  /**
   * On SIGTERM: take no new jobs and let the in-flight deliveries finish (before the database
   * closes, hence this hook). After the grace period the rest are left locked; their locks run
   * out and another worker sends them again, so a slow receiver cannot hold a shutdown hostage.
   */
  async beforeApplicationShutdown(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    this.closing = true;
    let timer: NodeJS.Timeout | undefined;
    const graceful = worker.close().then(
      () => true,
      () => true,
    );
    const timedOut = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), SHUTDOWN_GRACE_MS);
    });
    const finished = await Promise.race([graceful, timedOut]);
    clearTimeout(timer);
    // close() cannot be forced once it is waiting; the process ends anyway and the locks run out.
    if (!finished) this.logger.warn(`in-flight deliveries did not finish within ${SHUTDOWN_GRACE_MS} ms; leaving them to another worker`);
    if (this.connection) await closeBullConnection(this.connection);
  }
}
