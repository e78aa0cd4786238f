import { BeforeApplicationShutdown, Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { ClickRepository, type NewClick, type SqlClient } from '@postwire/persistence';
import type { PostwireConfig } from '@postwire/config';
import { POSTWIRE_CONFIG, SQL_CLIENT } from '@postwire/runtime';
import { ApiError } from '../http/api-error';
import { ClickEnricher } from './click-enricher';

export interface ClickWriterOptions {
  /** How long the first click of a batch may wait for company before the batch is written. */
  flushIntervalMs: number;
  /** Rows per INSERT; a full batch is written at once. */
  maxBatch: number;
  /** Clicks accepted but not yet stored, across all batches; beyond it new clicks wait (back-pressure). */
  maxBuffered: number;
  /** Batches written concurrently (each holds one pool connection while it runs). */
  maxInFlight: number;
  /** How long a click waits for room in a full buffer before it is refused with a 503. */
  backpressureTimeoutMs: number;
  /** How long a shutdown keeps trying to store what is buffered (the database may be away). */
  shutdownTimeoutMs: number;
}

/** Injection token for overriding {@link DEFAULT_CLICK_WRITER_OPTIONS} (tests). */
export const CLICK_WRITER_OPTIONS = Symbol('CLICK_WRITER_OPTIONS');

export const DEFAULT_CLICK_WRITER_OPTIONS: ClickWriterOptions = {
  flushIntervalMs: 5,
  maxBatch: 1000,
  maxBuffered: 20_000,
  maxInFlight: 2,
  backpressureTimeoutMs: 5000,
  shutdownTimeoutMs: 10_000,
};

/** Where batches go; ClickRepository in the app, a fake in unit tests. */
export type ClickSink = Pick<ClickRepository, 'insertMany'>;

interface Batch {
  clicks: NewClick[];
  /** Resolves once every click of the batch is stored or given up on; never rejects. */
  done: Promise<void>;
  settle: () => void;
  attempts: number;
}

const RETRY_DELAYS_MS = [50, 200, 1000, 2000, 5000];

/**
 * Clicks are answered before they are written: the redirect goes out at once and the click joins
 * a batch that one multi-row INSERT stores a few milliseconds later. A busy tracker then spends
 * one round trip and one commit per batch instead of per click.
 *
 * What that costs, and how it is bounded:
 * - A click lives only in this process's memory for up to `flushIntervalMs` plus one INSERT. A
 *   graceful shutdown (SIGTERM) stores it first; a crash (SIGKILL, OOM) loses at most what was
 *   buffered at that moment.
 * - A postback can arrive before its click is stored. In this process the postback path calls
 *   {@link settle} first; across processes the re-attribution sweeper picks it up.
 * - While the database is slow or away, batches are retried with backoff and the buffer fills;
 *   at `maxBuffered` new clicks wait for room, and after `backpressureTimeoutMs` they are refused
 *   with a 503 rather than redirected without being stored.
 * - A batch the database refuses for its data (not for being unavailable) is written row by
 *   row, so one bad row costs only itself, and that loss is logged.
 */
@Injectable()
export class ClickWriter implements BeforeApplicationShutdown {
  private readonly logger = new Logger('ClickWriter');
  private readonly options: ClickWriterOptions;
  private open: Batch = newBatch();
  /** Batches waiting for a free slot, in order. */
  private readonly sealed: Batch[] = [];
  /** Batches sealed and not yet settled (waiting or being written). */
  private readonly unsettled = new Set<Batch>();
  /** Every click accepted and not yet stored, to the batch that carries it. */
  private readonly pending = new Map<string, Batch>();
  private inFlight = 0;
  private timer?: NodeJS.Timeout;
  private readonly waiting: Array<() => void> = [];
  /** After shutdown began, clicks are written one by one before they are answered. */
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
   * Takes a click for storage. Returns nothing when it was buffered (the common case) and a
   * promise when the caller must wait: the buffer is full, or the process is shutting down.
   */
  add(click: NewClick): void | Promise<void> {
    if (this.writeThrough) return this.store([click]);
    if (this.pending.size >= this.options.maxBuffered) return this.waitForRoom().then(() => this.add(click));
    const batch = this.open;
    batch.clicks.push(click);
    this.pending.set(click.id, batch);
    if (batch.clicks.length >= this.options.maxBatch) this.seal();
    else if (!this.timer) this.timer = setTimeout(() => this.seal(), this.options.flushIntervalMs);
  }

  /**
   * Resolves once the click is stored, writing its batch now if it is still collecting; returns
   * undefined at once when the click is not pending here (stored already, or never seen).
   */
  flushIfPending(clickId: string): Promise<void> | undefined {
    const batch = this.pending.get(clickId);
    if (!batch) return undefined;
    if (batch === this.open) this.seal();
    return batch.done;
  }

  /** Resolves once every click accepted so far is stored (or given up on); undefined when none is pending. */
  settle(): Promise<void> | undefined {
    if (this.pending.size === 0) return undefined;
    this.seal();
    return Promise.all([...this.unsettled].map((b) => b.done)).then(() => undefined);
  }

  /**
   * Runs before the HTTP server closes and before the database does: store what is buffered,
   * and from now on write each click before answering it (requests still arrive while Fastify
   * drains its connections).
   */
  async beforeApplicationShutdown(): Promise<void> {
    this.writeThrough = true;
    const flushed = this.settle();
    if (!flushed) return;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), this.options.shutdownTimeoutMs)));
    const finished = await Promise.race([flushed.then(() => true as const), deadline]);
    clearTimeout(timer);
    if (!finished) this.logger.error(`shutting down with ${this.pending.size} clicks not stored: the database did not take them within ${this.options.shutdownTimeoutMs} ms`);
  }

  private seal(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.open.clicks.length === 0) return;
    this.sealed.push(this.open);
    this.unsettled.add(this.open);
    this.open = newBatch();
    this.pump();
  }

  private pump(): void {
    while (this.inFlight < this.options.maxInFlight && this.sealed.length) {
      const batch = this.sealed.shift()!;
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
      const delay = RETRY_DELAYS_MS[Math.min(batch.attempts, RETRY_DELAYS_MS.length - 1)];
      batch.attempts++;
      if (batch.attempts === 1 || batch.attempts % 10 === 0) {
        this.logger.warn(`could not store ${batch.clicks.length} clicks (attempt ${batch.attempts}, retrying in ${delay} ms): ${(error as Error).message}`);
      }
      // The slot stays taken while waiting, so a database outage is not met with a stampede of retries.
      await new Promise((r) => setTimeout(r, delay));
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
        this.logger.error(`click ${click.id} (campaign ${click.campaignId}) could not be stored and is lost: ${(error as Error).message}`);
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
      const timer = setTimeout(() => {
        const i = this.waiting.indexOf(wake);
        if (i >= 0) this.waiting.splice(i, 1);
        reject(new ApiError(503, 'click_store_unavailable', 'Clicks cannot be stored right now; try again shortly.'));
      }, this.options.backpressureTimeoutMs);
      const wake = () => {
        clearTimeout(timer);
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
