import { BeforeApplicationShutdown, Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { GroupCommit, type ClickVelocity } from '@postwire/core';
import type { ClickRepository, NewClick, SqlClient } from '@postwire/persistence';
import type { PostwireConfig } from '@postwire/config';
import { POSTWIRE_CONFIG, SQL_CLIENT } from '@postwire/runtime';
import { ApiError } from '../http/api-error';
import { ClickEnricher } from './click-enricher';
import { ClickScorerPlugins, type ClickPluginReadings } from './click-scorer-plugins';
import { ClickVelocityStep } from './click-velocity';

/** The writer's only clock: retry backoff, back-pressure and shutdown deadlines. Injected so tests never race real time. */
export interface WriterTimers {
  /** Runs `fn` after `ms`; returns a function that cancels it. */
  after(ms: number, fn: () => void): () => void;
}

/**
 * Real timers, unref'd: a writer never keeps a process (or a test runner) alive by itself. During a
 * shutdown the process is kept alive by Nest awaiting {@link ClickWriter.beforeApplicationShutdown},
 * whose deadline is the one referenced timer, cleared when the flush ends.
 */
export const REAL_TIMERS: WriterTimers = {
  after(ms, fn) {
    const timer = setTimeout(fn, ms);
    timer.unref();
    return () => clearTimeout(timer);
  },
};

export interface ClickWriterOptions {
  /** Rows per INSERT at most; clicks beyond it wait for the next batch. */
  maxBatch: number;
  /** Clicks accepted but not yet stored, across all batches; beyond it new clicks wait (back-pressure). */
  maxBuffered: number;
  /** Batches written concurrently (each holds one pool connection while it runs). */
  maxInFlight: number;
  /**
   * While a batch is in flight, a second one starts only once this many clicks wait; fewer wait
   * for the running commit and join the next batch. Small concurrent batches would cost a commit
   * each (more database and tracker CPU per click) and make every click wait longer.
   */
  minParallelBatch: number;
  /** How long a click waits for room in a full buffer before it is refused with a 503. */
  backpressureTimeoutMs: number;
  /** How long a shutdown keeps trying to store what is buffered (the database may be away). */
  shutdownTimeoutMs: number;
  /** Backoff between attempts while the database is unavailable; the last one repeats. */
  retryDelaysMs: readonly number[];
  timers: WriterTimers;
}

/** Injection token for overriding {@link DEFAULT_CLICK_WRITER_OPTIONS} (tests). */
export const CLICK_WRITER_OPTIONS = Symbol('CLICK_WRITER_OPTIONS');

export const DEFAULT_CLICK_WRITER_OPTIONS: ClickWriterOptions = {
  maxBatch: 1000,
  maxBuffered: 20_000,
  maxInFlight: 2,
  minParallelBatch: 100,
  backpressureTimeoutMs: 5000,
  shutdownTimeoutMs: 10_000,
  retryDelaysMs: [50, 200, 1000, 2000, 5000],
  timers: REAL_TIMERS,
};

/** Where batches go; ClickRepository in the app, a fake in unit tests. */
export type ClickSink = Pick<ClickRepository, 'insertMany'>;

/** Injection token of the writer's {@link ClickSink}: the journaling sink in front of ClickRepository in the app. */
export const CLICK_SINK = Symbol('CLICK_SINK');

/** What a batch measured once, before its first attempt: velocity counts, scorer plugins' answers. */
interface BatchReadings {
  velocity?: ReadonlyMap<string, ClickVelocity>;
  plugins?: ClickPluginReadings;
}

/** What became of one click of a batch: stored, or refused by the database for its content. */
type ClickFate = 'stored' | 'lost';

/**
 * Group commit ({@link GroupCommit}): a click is answered only once it is committed, so no redirect
 * ever goes out for a click that a crash (SIGKILL, OOM, power loss) could still lose. Throughput
 * comes from batching the waits, not from skipping them: while one INSERT is in flight, the clicks
 * that arrive meanwhile collect into the next batch, which is written the moment a slot frees, in one
 * multi-row INSERT and one commit. Nothing waits on a timer: a lone click on an idle tracker is
 * written at the end of the event-loop turn that parsed it (with whatever else that turn parsed). A
 * second batch runs beside the first only when enough clicks wait (`minParallelBatch`), so batches
 * stay large.
 *
 * How it is bounded (the click-specific part, around the primitive):
 * - While the database is slow or away, a batch is retried with backoff, keeping its slot, and its
 *   requests wait; at `maxBuffered` waiting clicks new ones wait for room, and after
 *   `backpressureTimeoutMs` they are refused with a 503 rather than redirected without being stored.
 * - A batch the database refuses for its data (not for being unavailable) is written row by row,
 *   so one bad row costs only itself; that click's request gets a 503 and the loss is logged.
 * - SIGTERM stores what is waiting before the database closes, then writes each click on its own.
 */
@Injectable()
export class ClickWriter implements BeforeApplicationShutdown {
  private readonly logger = new Logger('ClickWriter');
  private readonly options: ClickWriterOptions;
  private readonly batches: GroupCommit<NewClick, ClickFate>;
  private readonly waiting: Array<() => void> = [];
  /** After shutdown began, clicks are written one by one. */
  private writeThrough = false;
  /** Enrichment and report rollups (off only to benchmark their cost). */
  private readonly rollups: boolean;

  constructor(
    @Inject(CLICK_SINK) private readonly sink: ClickSink,
    @Inject(SQL_CLIENT) db?: Pick<SqlClient, 'driver'>,
    @Optional() @Inject(CLICK_WRITER_OPTIONS) options: Partial<ClickWriterOptions> = {},
    @Optional() @Inject(ClickEnricher) private readonly enricher?: ClickEnricher,
    @Optional() @Inject(POSTWIRE_CONFIG) config?: Pick<PostwireConfig, 'reports'>,
    @Optional() @Inject(ClickVelocityStep) private readonly velocity?: ClickVelocityStep,
    @Optional() @Inject(ClickScorerPlugins) private readonly plugins?: ClickScorerPlugins,
  ) {
    this.rollups = config?.reports.clickEnrichment !== false;
    // PGlite is one connection: a second batch in flight would only queue behind the first.
    const maxInFlight = db?.driver === 'pglite' ? 1 : DEFAULT_CLICK_WRITER_OPTIONS.maxInFlight;
    this.options = { ...DEFAULT_CLICK_WRITER_OPTIONS, maxInFlight, ...options };
    const { maxBatch, minParallelBatch } = this.options;
    this.batches = new GroupCommit((clicks) => this.write(clicks), { maxBatch, maxInFlight: this.options.maxInFlight, minParallelBatch });
  }

  /** Clicks accepted and not yet stored. */
  get buffered(): number {
    return this.batches.pending;
  }

  /**
   * Stores a click. Resolves once it is committed; rejects with a 503 {@link ApiError} when it
   * cannot be (no room in time, or the database refused the row). The redirect waits for this.
   */
  add(click: NewClick): Promise<void> {
    if (this.writeThrough) {
      return this.store([click]).catch((error: unknown) => {
        this.logger.error(`click ${click.id} could not be stored during shutdown; its visitor got a 503: ${(error as Error).message}`);
        throw new ApiError('click_store_unavailable', 'Clicks cannot be stored right now; try again shortly.');
      });
    }
    if (this.batches.pending >= this.options.maxBuffered) return this.waitForRoom().then(() => this.add(click));
    if (this.rollups) {
      this.velocity?.prefetch(click);
      if (this.plugins?.active) this.plugins.prefetch(click);
    }
    return this.batches.add(click).then((fate) => {
      this.wakeWaiting();
      if (fate === 'lost') throw new ApiError('click_store_failed', 'This click could not be stored; try again.');
    });
  }

  /** Resolves once every click accepted so far is stored (or given up on); undefined when none is pending. */
  settle(): Promise<void> | undefined {
    return this.batches.flush();
  }

  /**
   * Runs before the HTTP server closes and before the database does: store what is waiting,
   * and from now on write each click on its own (requests still arrive while Fastify drains).
   */
  async beforeApplicationShutdown(): Promise<void> {
    this.writeThrough = true;
    const flushed = this.settle();
    if (!flushed) return;
    // A real, referenced timer on purpose: it keeps the process alive while batches retry (their
    // own timers are unref'd), and is cleared as soon as the flush ends.
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), this.options.shutdownTimeoutMs)));
    const finished = await Promise.race([flushed.then(() => true as const), deadline]);
    clearTimeout(timer);
    if (!finished)
      this.logger.error(`shutting down with ${this.buffered} clicks not stored: the database did not take them within ${this.options.shutdownTimeoutMs} ms`);
  }

  /**
   * Writes one batch until every click is stored or refused for its content. While the database is
   * unavailable it waits and tries again, keeping its slot, so an outage is not met with a stampede.
   */
  private async write(clicks: NewClick[]): Promise<ClickFate[]> {
    const fates = new Map<NewClick, ClickFate>();
    const answer = () => clicks.map((click) => fates.get(click) ?? 'lost');
    // Counted once per batch, before any attempt: a retry must not count the same clicks again. The scorer
    // plugins are asked meanwhile (each cut at its timeout); none installed: no step at all.
    const asking = this.rollups && this.plugins?.active ? this.plugins.read(clicks) : undefined;
    const counts = this.rollups ? await this.velocity?.measure(clicks) : undefined;
    const readings: BatchReadings | undefined = asking ? { velocity: counts, plugins: await asking } : counts && { velocity: counts };
    let rest = clicks;
    for (let attempts = 0; ; attempts++) {
      let cause: unknown;
      try {
        await this.store(rest, readings);
        for (const click of rest) fates.set(click, 'stored');
        return answer();
      } catch (error) {
        cause = error;
      }
      if (isDataError(cause)) {
        const left = await this.writeOneByOne(rest, fates, readings);
        if (!left) return answer();
        // Unavailable again halfway through: the rest is retried as a batch of its own.
        ({ rest, cause } = left);
      }
      const delays = this.options.retryDelaysMs;
      const delay = delays[Math.min(attempts, delays.length - 1)];
      if (attempts === 0 || (attempts + 1) % 10 === 0) {
        this.logger.warn(`could not store ${rest.length} clicks (attempt ${attempts + 1}, retrying in ${delay} ms): ${(cause as Error).message}`);
      }
      await new Promise<void>((r) => this.options.timers.after(delay, r));
    }
  }

  /**
   * One INSERT of enriched clicks and their rollups. Enrichment (country, device, visitor, cost)
   * happens here, in the batch, so the redirect never waits for it.
   */
  private store(clicks: NewClick[], readings?: BatchReadings): Promise<void> {
    if (!this.rollups) return this.sink.insertMany(clicks, { rollups: false });
    return this.sink.insertMany(this.enricher ? this.enricher.enrich(clicks, readings?.velocity, readings?.plugins) : clicks);
  }

  /**
   * Clicks refused together for their content: stores every row that can be stored and logs the
   * ones that cannot. When the database becomes unavailable meanwhile, returns the clicks not yet
   * stored and why.
   */
  private async writeOneByOne(
    clicks: NewClick[],
    fates: Map<NewClick, ClickFate>,
    readings?: BatchReadings,
  ): Promise<{ rest: NewClick[]; cause: unknown } | undefined> {
    for (const [i, click] of clicks.entries()) {
      try {
        await this.store([click], readings);
        fates.set(click, 'stored');
      } catch (error) {
        if (!isDataError(error)) return { rest: clicks.slice(i), cause: error };
        fates.set(click, 'lost');
        this.logger.error(`click ${click.id} (campaign ${click.campaignId}) could not be stored; its visitor got a 503: ${(error as Error).message}`);
      }
    }
    return undefined;
  }

  private wakeWaiting(): void {
    while (this.waiting.length && this.batches.pending < this.options.maxBuffered) this.waiting.shift()!();
  }

  private waitForRoom(): Promise<void> {
    return new Promise((resolve, reject) => {
      const cancel = this.options.timers.after(this.options.backpressureTimeoutMs, () => {
        const i = this.waiting.indexOf(wake);
        if (i >= 0) this.waiting.splice(i, 1);
        reject(new ApiError('click_store_unavailable', 'Clicks cannot be stored right now; try again shortly.'));
      });
      const wake = () => {
        cancel();
        resolve();
      };
      this.waiting.push(wake);
    });
  }
}

/**
 * Refused for what the rows contain (SQLSTATE class 22 data exception, 23 integrity constraint):
 * retrying the same rows cannot help. Anything else (connection lost, server restarting, pool
 * timeout) is taken as the database being unavailable for now.
 */
function isDataError(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' && /^2[23]/.test(code);
}
