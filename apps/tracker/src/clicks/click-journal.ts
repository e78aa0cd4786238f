import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { open, readdir, readFile, rename, stat, unlink, utimes, type FileHandle } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { NewClick } from '@postwire/persistence';

/** One journaled batch: the clicks of one `insertMany` call, as the click writer handed them over (enriched). */
export interface JournalRecord {
  rollups: boolean;
  clicks: NewClick[];
}

const SUFFIX = '.clicks';

/**
 * A file of another process is taken over after this long without its owner touching it (owners
 * touch theirs every {@link TOUCH_INTERVAL_MS}). Only for owners on other hosts: on this host a dead
 * owner is recognised at once by its pid.
 */
export const STALE_AFTER_MS = 60_000;
export const TOUCH_INTERVAL_MS = 10_000;

/**
 * The click journal: an append-only folder of segment files, one line of JSON per batch. A batch
 * is answered only once its line is on disk (`fdatasync`), and batches arriving while one is being
 * synced share the next sync (group commit), so a `kill -9` or a power loss loses no answered click.
 *
 * Each process writes files of its own, named `host~pid~boot~seq.clicks`, so trackers sharing a
 * volume never write to one file. Segments are sealed (closed for appends) before they are
 * replayed, and removed once every click in them is in the database; a process that died leaves
 * its files behind and another one adopts them by renaming them to its own name (a rename happens
 * once, so only one process adopts a file).
 */
export class ClickJournal {
  private readonly owner: { host: string; pid: number; boot: string };
  private seq = 0;
  /** The segment new batches go to; opened on the first append after a seal. */
  private segment?: { path: string; file: FileHandle; records: number };
  private readonly sealed: string[] = [];
  private queue: Array<{ line: string; resolve: () => void; reject: (error: Error) => void }> = [];
  private flushing?: Promise<void>;

  private constructor(readonly dir: string) {
    this.owner = { host: hostname().replace(/[^A-Za-z0-9.-]/g, '-') || 'host', pid: process.pid, boot: randomBytes(4).toString('hex') };
  }

  /** Creates the folder if needed (boot fails naming it when it cannot be). */
  static open(dir: string): ClickJournal {
    mkdirSync(dir, { recursive: true });
    return new ClickJournal(dir);
  }

  /** Batches appended to the open segment (0: nothing waits to be sealed), including ones still being synced. */
  get unsealed(): number {
    return (this.segment?.records ?? 0) + this.queue.length + (this.flushing ? 1 : 0);
  }

  /** Sealed segments of this process (its own and adopted ones), oldest first. */
  get sealedSegments(): readonly string[] {
    return this.sealed;
  }

  /** Resolves once `record` is on disk. */
  append(record: JournalRecord): Promise<void> {
    const line = JSON.stringify(record, (key, value: unknown) => (key === 'raw' ? undefined : value)) + '\n';
    return new Promise((resolve, reject) => {
      this.queue.push({ line, resolve, reject });
      this.flushing ??= this.flush();
    });
  }

  /** Writes what queued while the previous sync ran, in one write and one sync. */
  private async flush(): Promise<void> {
    while (this.queue.length) {
      const group = this.queue;
      this.queue = [];
      try {
        const segment = this.segment ?? (await this.openSegment());
        await segment.file.write(group.map((g) => g.line).join(''));
        await segment.file.datasync();
        segment.records += group.length;
        for (const g of group) g.resolve();
      } catch (error) {
        for (const g of group) g.reject(error as Error);
        // A failed write may have left half a line: later batches go to a new segment, so no
        // acknowledged line is ever glued to a torn one.
        await this.retireSegment().catch(() => undefined);
      }
    }
    this.flushing = undefined;
  }

  private async openSegment(): Promise<{ path: string; file: FileHandle; records: number }> {
    const path = join(this.dir, this.nextName());
    const file = await open(path, 'a');
    // The new name must be durable too, or a crash could keep the data and lose the file.
    await syncDir(this.dir);
    this.segment = { path, file, records: 0 };
    return this.segment;
  }

  private nextName(): string {
    const { host, pid, boot } = this.owner;
    return `${host}~${pid}~${boot}~${String(this.seq++).padStart(8, '0')}${SUFFIX}`;
  }

  /** Closes the open segment for appends (later ones open a new segment) and lists it for replay. */
  async seal(): Promise<void> {
    while (this.flushing) await this.flushing;
    await this.retireSegment();
  }

  private async retireSegment(): Promise<void> {
    const segment = this.segment;
    if (!segment) return;
    this.segment = undefined;
    await segment.file.close();
    if (segment.records > 0) this.sealed.push(segment.path);
    else await unlink(segment.path);
  }

  /** Every batch of a sealed segment; a torn last line (a crash mid-write, never acknowledged) is skipped. */
  async read(path: string): Promise<{ records: JournalRecord[]; torn: number }> {
    const records: JournalRecord[] = [];
    let torn = 0;
    for (const line of (await readFile(path, 'utf8')).split('\n')) {
      if (!line) continue;
      try {
        const record = JSON.parse(line) as JournalRecord;
        for (const click of record.clicks) click.createdAt = new Date(click.createdAt);
        records.push(record);
      } catch {
        torn++;
      }
    }
    return { records, torn };
  }

  /** Deletes a replayed segment. A crash before this replays it again, which stores nothing twice (click ids are unique). */
  async remove(path: string): Promise<void> {
    await unlink(path);
    await syncDir(this.dir);
    this.sealed.splice(this.sealed.indexOf(path), 1);
  }

  /**
   * Takes over the files of processes that died (this host: their pid is gone or is ours now, as
   * after a container restart; other hosts: untouched for {@link STALE_AFTER_MS}). Returns how many.
   */
  async adoptOrphans(now = Date.now()): Promise<number> {
    let adopted = 0;
    for (const name of (await readdir(this.dir)).sort()) {
      const owner = parseName(name);
      if (!owner || owner.boot === this.owner.boot) continue;
      const path = join(this.dir, name);
      const orphan =
        (owner.host === this.owner.host && (owner.pid === this.owner.pid || !isAlive(owner.pid))) ||
        (await stat(path).then(
          (s) => now - s.mtimeMs > STALE_AFTER_MS,
          () => false,
        ));
      if (!orphan) continue;
      const mine = join(this.dir, this.nextName());
      try {
        await rename(path, mine);
      } catch {
        continue; // another process adopted it first
      }
      this.sealed.push(mine);
      adopted++;
    }
    if (adopted) await syncDir(this.dir);
    return adopted;
  }

  /** Marks this process's files as alive for trackers on other hosts. */
  async touch(): Promise<void> {
    const now = new Date();
    for (const path of [...this.sealed, ...(this.segment ? [this.segment.path] : [])]) await utimes(path, now, now).catch(() => undefined);
  }

  /** Waits for appends in flight and closes the open segment; what is left is replayed by the next process. */
  async close(): Promise<void> {
    await this.seal();
  }
}

function parseName(name: string): { host: string; pid: number; boot: string } | undefined {
  if (!name.endsWith(SUFFIX)) return undefined;
  const parts = name.slice(0, -SUFFIX.length).split('~');
  if (parts.length !== 4 || !/^\d+$/.test(parts[1])) return undefined;
  return { host: parts[0], pid: Number(parts[1]), boot: parts[2] };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, under another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
