import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap, Optional } from '@nestjs/common';
import type { PostwireConfig } from '@postwire/config';
import { ClickRepository, isDatabaseUnavailable, type NewClick, type SqlClient } from '@postwire/persistence';
import { POSTWIRE_CONFIG, SQL_CLIENT } from '@postwire/runtime';
import type { ClickSink } from './click-writer';
import { ClickJournal, TOUCH_INTERVAL_MS, type JournalRecord } from './click-journal';

export interface JournalingSinkOptions {
  /** A batch the database has not taken within this is journaled (a network cut hangs rather than fails). */
  insertDeadlineMs: number;
  /** Between replay attempts while the database is away: the first delay, doubling up to the last. */
  retryDelayMs: { first: number; max: number };
  /** Clicks per INSERT when replaying. */
  replayBatch: number;
}

/** Injection token for overriding {@link DEFAULT_JOURNALING_SINK_OPTIONS} (tests). */
export const JOURNALING_SINK_OPTIONS = Symbol('JOURNALING_SINK_OPTIONS');

export const DEFAULT_JOURNALING_SINK_OPTIONS: JournalingSinkOptions = {
  insertDeadlineMs: 5000,
  retryDelayMs: { first: 200, max: 2000 },
  replayBatch: 1000,
};

/** What `/health` shows of the click path. */
export interface ClickPathStatus {
  /** Clicks are being journaled because PostgreSQL cannot take them. */
  journaling: boolean;
  /** The journal can take clicks (false: its last write failed, e.g. a full disk). */
  journalWritable: boolean;
  /** Clicks journaled and not yet replayed into the database. */
  journaledClicks: number;
}

/**
 * The click writer's sink in front of {@link ClickRepository}: while PostgreSQL takes batches they
 * go straight to it; when it cannot (stopped, restarting, unreachable), each batch is appended to
 * the {@link ClickJournal} and fsync'd instead, so its clicks get their redirect and a `kill -9`
 * still loses none. From the first such batch on, batches go to the journal without trying the
 * database, and a replay loop waits for it: it seals the journal, inserts what it holds, deletes
 * it, and returns to writing directly once nothing is left. Replays are exactly-once by
 * construction: click ids are unique, the INSERT skips stored ones, and the rollups count only
 * rows it inserted, so a segment replayed twice (a crash before its deletion) doubles nothing.
 *
 * The journal only takes over in an outage: in front of the database it would add an fsync to
 * every batch (bench/NOTES.md, "Clicks during a PostgreSQL outage"). Embedded PGlite runs in this
 * process and has no outage of its own, so there is no journal there.
 */
@Injectable()
export class JournalingClickSink implements ClickSink, OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('ClickJournal');
  private readonly options: JournalingSinkOptions;
  private readonly journal?: ClickJournal;
  private journaling = false;
  /** CLICK_JOURNAL_MODE=always (benchmarks): every batch is journaled, and the replay loop writes the database behind it. */
  private readonly always: boolean;
  private journalWritable = true;
  private journaledClicks = 0;
  private replaying?: Promise<void>;
  private closed = false;
  private touchTimer?: NodeJS.Timeout;

  constructor(
    @Inject(ClickRepository) private readonly repository: ClickSink,
    @Inject(SQL_CLIENT) private readonly db: Pick<SqlClient, 'driver' | 'ping'>,
    @Inject(POSTWIRE_CONFIG) config: Pick<PostwireConfig, 'clickJournalDir'> & Partial<Pick<PostwireConfig, 'clickJournalMode'>>,
    @Optional() @Inject(JOURNALING_SINK_OPTIONS) options: Partial<JournalingSinkOptions> = {},
  ) {
    this.options = { ...DEFAULT_JOURNALING_SINK_OPTIONS, ...options };
    if (db.driver === 'postgres') this.journal = ClickJournal.open(config.clickJournalDir);
    this.always = this.journal !== undefined && config.clickJournalMode === 'always';
    this.journaling = this.always;
  }

  /** Replays what a previous process (this one before a crash, or a dead tracker on the same volume) left. */
  onApplicationBootstrap(): void {
    if (!this.journal) return;
    this.touchTimer = setInterval(() => void this.keepAlive(), TOUCH_INTERVAL_MS);
    this.touchTimer.unref();
    void this.keepAlive();
  }

  /**
   * Stops replaying and closes the open segment. The click writer may still be flushing beside this
   * (Nest runs a module's shutdown hooks together): a batch journaled after the close opens a segment
   * of its own, durable like any other, and the next process replays it.
   */
  async beforeApplicationShutdown(): Promise<void> {
    this.closed = true;
    clearInterval(this.touchTimer);
    // The pass under way ends first (each of its inserts is bounded by the deadline), so no replay
    // touches the files after the close.
    await this.replaying;
    await this.journal?.close();
  }

  status(): ClickPathStatus {
    return { journaling: this.journaling, journalWritable: this.journalWritable, journaledClicks: this.journaledClicks };
  }

  async insertMany(clicks: readonly NewClick[], options: { rollups?: boolean } = {}): Promise<void> {
    if (!this.journal) return this.repository.insertMany(clicks, options);
    if (!this.journaling) {
      try {
        await withDeadline(this.repository.insertMany(clicks, options), this.options.insertDeadlineMs);
        return;
      } catch (error) {
        if (!isDatabaseUnavailable(error) && !(error instanceof DeadlineExceeded)) throw error;
        if (!this.journaling) {
          this.journaling = true;
          this.logger.warn(`PostgreSQL cannot take clicks (${(error as Error).message}); journaling them in ${this.journal.dir} until it is back`);
        }
      }
    }
    await this.append({ rollups: options.rollups !== false, clicks: [...clicks] });
    this.startReplay();
  }

  private async append(record: JournalRecord): Promise<void> {
    try {
      await this.journal!.append(record);
      this.journalWritable = true;
      this.journaledClicks += record.clicks.length;
    } catch (error) {
      this.journalWritable = false;
      this.logger.error(`could not journal ${record.clicks.length} clicks: ${(error as Error).message}`);
      throw error;
    }
  }

  private async keepAlive(): Promise<void> {
    try {
      await this.journal!.touch();
      if ((await this.journal!.adoptOrphans()) > 0) this.logger.log('adopted click journal files left by a stopped tracker; replaying them');
    } catch (error) {
      this.logger.error(`click journal folder ${this.journal!.dir}: ${(error as Error).message}`);
    }
    if (this.journal!.sealedSegments.length) this.startReplay();
  }

  private startReplay(): void {
    if (this.replaying) return;
    this.replaying = this.replay()
      .catch((error: Error) => this.logger.error(`click journal replay stopped: ${error.message}`))
      .finally(() => {
        this.replaying = undefined;
        // A batch appended while the loop was returning found it still running.
        if (!this.closed && this.journaling && this.journal!.unsealed > 0) this.startReplay();
      });
  }

  /** Until the journal is empty: wait for the database, seal, replay the sealed segments, delete them. */
  private async replay(): Promise<void> {
    const journal = this.journal!;
    let delay = this.options.retryDelayMs.first;
    while (!this.closed) {
      if (await this.databaseAnswers()) {
        if (await this.replayPass(journal)) {
          delay = this.options.retryDelayMs.first;
          // Checked and switched in one turn, so no batch is appended between the check and the switch.
          if (this.always) {
            // Written behind the journal: the next append starts another pass.
            if (journal.unsealed === 0) return;
            continue;
          }
          if (journal.unsealed === 0 && journal.sealedSegments.length === 0) {
            if (this.journaling) this.logger.log('PostgreSQL is back and the click journal is replayed; clicks go to it directly again');
            this.journaling = false;
            this.journaledClicks = 0;
            return;
          }
          continue;
        }
      }
      await new Promise((r) => setTimeout(r, delay).unref());
      delay = Math.min(delay * 2, this.options.retryDelayMs.max);
    }
  }

  /**
   * Seals the open segment and replays the sealed ones; false to wait and try again. Never throws:
   * a file error (the folder gone, a full disk) is logged and retried, and the files stay for the
   * next try or the next process, rather than becoming an unhandled rejection that ends the process.
   */
  private async replayPass(journal: ClickJournal): Promise<boolean> {
    try {
      if (this.journaling) await journal.seal();
      return await this.replaySealed();
    } catch (error) {
      this.logger.error(`click journal replay in ${journal.dir} failed: ${(error as Error).message}; retrying`);
      return false;
    }
  }

  private async databaseAnswers(): Promise<boolean> {
    try {
      await withDeadline(this.db.ping(), this.options.insertDeadlineMs);
      return true;
    } catch {
      return false;
    }
  }

  /** False when the database went away again; what was replayed so far is replayed again later, harmlessly. */
  private async replaySealed(): Promise<boolean> {
    const journal = this.journal!;
    for (const path of [...journal.sealedSegments]) {
      const { records, torn } = await journal.read(path);
      if (torn) this.logger.warn(`${path}: skipped ${torn} torn line(s), written when a crash cut an append (those clicks were never answered)`);
      let replayed = 0;
      for (const chunk of chunks(records, this.options.replayBatch)) {
        try {
          await this.insertOrSplit(chunk.clicks, chunk.rollups);
        } catch (error) {
          this.logger.warn(`click journal replay paused (${(error as Error).message}); retrying`);
          return false;
        }
        replayed += chunk.clicks.length;
      }
      await journal.remove(path);
      this.journaledClicks = Math.max(0, this.journaledClicks - replayed);
      if (!this.always) this.logger.log(`replayed ${replayed} journaled clicks into PostgreSQL`);
    }
    return true;
  }

  /** A chunk the database refuses for its data is inserted click by click; a click it refuses alone is logged and dropped. */
  private async insertOrSplit(clicks: NewClick[], rollups: boolean): Promise<void> {
    try {
      await withDeadline(this.repository.insertMany(clicks, { rollups }), this.options.insertDeadlineMs);
    } catch (error) {
      if (isDatabaseUnavailable(error) || error instanceof DeadlineExceeded || clicks.length === 1) {
        if (clicks.length === 1 && !isDatabaseUnavailable(error) && !(error instanceof DeadlineExceeded)) {
          this.logger.error(`journaled click ${clicks[0].id} (campaign ${clicks[0].campaignId}) was refused by the database: ${(error as Error).message}`);
          return;
        }
        throw error;
      }
      for (const click of clicks) await this.insertOrSplit([click], rollups);
    }
  }
}

/** Consecutive records with the same `rollups` flag, at most `size` clicks per chunk. */
function* chunks(records: readonly JournalRecord[], size: number): Generator<{ rollups: boolean; clicks: NewClick[] }> {
  let current: { rollups: boolean; clicks: NewClick[] } | undefined;
  for (const record of records) {
    for (const click of record.clicks) {
      if (!current || current.rollups !== record.rollups || current.clicks.length >= size) {
        if (current) yield current;
        current = { rollups: record.rollups, clicks: [] };
      }
      current.clicks.push(click);
    }
  }
  if (current) yield current;
}

class DeadlineExceeded extends Error {}

/** `work`, or a {@link DeadlineExceeded} after `ms`; the work itself runs on (an INSERT that lands late is skipped at replay). */
function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineExceeded(`the database did not answer within ${ms} ms`)), ms);
    timer.unref();
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}
