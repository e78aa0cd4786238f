import { BeforeApplicationShutdown, Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { ClickRepository, type NewClick, type SqlClient } from '@postwire/persistence';
import type { PostwireConfig } from '@postwire/config';
import { POSTWIRE_CONFIG, SQL_CLIENT } from '@postwire/runtime';
import { ApiError } from '../http/api-error';
import { ClickEnricher } from './click-enricher';

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

interface Batch {
  clicks: NewClick[];
  /** Resolves once every click of the batch is stored or given up on; never rejects. */
  done: Promise<void>;
  settle: () => void;
  attempts: number;
  /** Clicks of this batch the database refused for their content: their requests get a 503, not a redirect. */
  lost?: Set<string>;
}

/**
 * Group commit: a click is answered only once it is committed, so no redirect ever goes out for a
 * click that a crash (SIGKILL, OOM, power loss) could still lose. Throughput comes from batching the
 * waits, not from skipping them: while one INSERT is in flight, the clicks that arrive meanwhile
 * collect into the next batch, which is written the moment a slot frees, in one multi-row INSERT and
 * one commit. Nothing waits on a timer: a lone click on an idle tracker is written at the end of the
 * event-loop turn that parsed it (with whatever else that turn parsed). A second batch runs beside
 * the first only when enough clicks wait (`minParallelBatch`), so batches stay large.
 *
 * How it is bounded:
 * - While the database is slow or away, batches are retried with backoff and their requests wait;
 *   at `maxBuffered` waiting clicks new ones wait for room, and after `backpressureTimeoutMs` they
 *   are refused with a 503 rather than redirected without being stored.
 * - A batch the database refuses for its data (not for being unavailable) is written row by row,
 *   so one bad row costs only itself; that click's request gets a 503 and the loss is logged.
 * - SIGTERM stores what is waiting before the database closes, then writes each click on its own.
 */
@Injectable()
export class ClickWriter implements BeforeApplicationShutdown {
  private readonly logger = new Logger('ClickWriter');
  private readonly options: ClickWriterOptions;
  /** Clicks collecting for the next free slot. */
  private open: Batch = newBatch();
  /** Batches sealed (full, or by settle) and waiting for a free slot, in order. */
  private readonly sealed: Batch[] = [];
  /** Batches taken from `open` and not yet settled (waiting or being written). */
  private readonly unsettled = new Set<Batch>();
  /** Every click accepted and not yet stored, to the batch that carries it. */
  private readonly pending = new Map<string, Batch>();
  private inFlight = 0;
  /** An end-of-turn write is scheduled (setImmediate): clicks parsed in the same turn share it. */
  private scheduled = false;
  private readonly waiting: Array<() => void> = [];
  /** After shutdown began, clicks are written one by one. */
  private writeThrough = false;
  /** Enrichment and report rollups (off only to benchmark their cost). */
  private readonly rollups: boolean;

  constructor(
    @Inject(ClickRepository) private readonly sink: ClickSink,
    @Inject(SQL_CLIENT) db?: Pick<SqlClient, 'driver'>,
    @Optional() @Inject(CLICK_WRITER_OPTIONS) options: Partial<ClickWriterOptions> = {},
    @Optional() @Inject(ClickEnricher) private readonly enricher?: ClickEnricher,
    @Optional() @Inject(POSTWIRE_CONFIG) config?: Pick<PostwireConfig, 'reports'>,
  ) {
    this.rollups = config?.reports.clickEnrichment !== false;
    // PGlite is one connection: a second batch in flight would only queue behind the first.
    const maxInFlight = db?.driver === 'pglite' ? 1 : DEFAULT_CLICK_WRITER_OPTIONS.maxInFlight;
    this.options = { ...DEFAULT_CLICK_WRITER_OPTIONS, maxInFlight, ...options };
  }

  /** Clicks accepted and not yet stored. */
  get buffered(): number {
    return this.pending.size;
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
    if (this.pending.size >= this.options.maxBuffered) return this.waitForRoom().then(() => this.add(click));
    const batch = this.open;
    batch.clicks.push(click);
    this.pending.set(click.id, batch);
    if (batch.clicks.length >= this.options.maxBatch) this.seal();
    else if (this.inFlight > 0 && batch.clicks.length === this.options.minParallelBatch) this.pump();
    else if (!this.scheduled && this.inFlight === 0) {
      this.scheduled = true;
      setImmediate(() => {
        this.scheduled = false;
        this.pump();
      });
    }
    return batch.done.then(() => {
      if (batch.lost?.has(click.id)) throw new ApiError('click_store_failed', 'This click could not be stored; try again.');
    });
  }

  /** Resolves once every click accepted so far is stored (or given up on); undefined when none is pending. */
  settle(): Promise<void> | undefined {
    if (this.pending.size === 0) return undefined;
    this.seal();
    return Promise.all([...this.unsettled].map((b) => b.done)).then(() => undefined);
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
      this.logger.error(
        `shutting down with ${this.pending.size} clicks not stored: the database did not take them within ${this.options.shutdownTimeoutMs} ms`,
      );
  }

  /** Closes the collecting batch and queues it for a slot. */
  private seal(): void {
    if (this.open.clicks.length === 0) return;
    this.sealed.push(this.open);
    this.unsettled.add(this.open);
    this.open = newBatch();
    this.pump();
  }

  /** Fills free slots: sealed batches first, then whatever has collected meanwhile (see minParallelBatch). */
  private pump(): void {
    while (this.inFlight < this.options.maxInFlight) {
      let batch = this.sealed.shift();
      if (!batch) {
        const waiting = this.open.clicks.length;
        if (waiting === 0 || (this.inFlight > 0 && waiting < this.options.minParallelBatch)) return;
        batch = this.open;
        this.unsettled.add(batch);
        this.open = newBatch();
      }
      this.inFlight++;
      void this.write(batch).finally(() => {
        this.inFlight--;
        this.pump();
      });
    }
  }

  private async write(batch: Batch): Promise<void> {
    try {
      await this.store(batch.clicks);
      this.stored(batch, batch.clicks);
    } catch (error) {
      if (isDataError(error)) {
        await this.writeOneByOne(batch);
        return;
      }
      const delays = this.options.retryDelaysMs;
      const delay = delays[Math.min(batch.attempts, delays.length - 1)];
      batch.attempts++;
      if (batch.attempts === 1 || batch.attempts % 10 === 0) {
        this.logger.warn(`could not store ${batch.clicks.length} clicks (attempt ${batch.attempts}, retrying in ${delay} ms): ${(error as Error).message}`);
      }
      // The slot stays taken while waiting, so a database outage is not met with a stampede of retries.
      await new Promise<void>((r) => this.options.timers.after(delay, r));
      this.sealed.unshift(batch);
    }
  }

  /**
   * One INSERT of enriched clicks and their rollups. Enrichment (country, device, visitor, cost)
   * happens here, in the batch, so the redirect never waits for it.
   */
  private store(clicks: NewClick[]): Promise<void> {
    if (!this.rollups) return this.sink.insertMany(clicks, { rollups: false });
    return this.sink.insertMany(this.enricher ? this.enricher.enrich(clicks) : clicks);
  }

  /** A batch refused for its content: store every row that can be stored, log the ones that cannot. */
  private async writeOneByOne(batch: Batch): Promise<void> {
    for (const click of batch.clicks) {
      try {
        await this.store([click]);
      } catch (error) {
        if (!isDataError(error)) {
          // Unavailable again halfway through: the rest goes back as a batch of its own.
          const rest = batch.clicks.slice(batch.clicks.indexOf(click));
          this.stored(batch, batch.clicks.slice(0, batch.clicks.indexOf(click)), false);
          batch.clicks = rest;
          this.sealed.unshift(batch);
          return;
        }
        (batch.lost ??= new Set()).add(click.id);
        this.logger.error(`click ${click.id} (campaign ${click.campaignId}) could not be stored; its visitor got a 503: ${(error as Error).message}`);
      }
    }
    this.stored(batch, batch.clicks);
  }

  private stored(batch: Batch, clicks: readonly NewClick[], complete = true): void {
    for (const click of clicks) this.pending.delete(click.id);
    if (complete) {
      this.unsettled.delete(batch);
      batch.settle();
    }
    while (this.waiting.length && this.pending.size < this.options.maxBuffered) this.waiting.shift()!();
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

function newBatch(): Batch {
  let settle!: () => void;
  const done = new Promise<void>((resolve) => (settle = resolve));
  return { clicks: [], done, settle, attempts: 0 };
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
