import { Logger } from '@nestjs/common';
import type { NewClick } from '@postwire/persistence';
import { ApiError } from '../http/api-error';
import { ClickWriter, type ClickSink, type ClickWriterOptions, type WriterTimers } from './click-writer';

const click = (id: string): NewClick => ({ id, campaignId: '3f1c2b8e-5d6a-4c1e-9b2f-7a8d9e0f1a2b', subs: {}, createdAt: new Date() });
/** Lets every queued promise callback and setImmediate run; no wall-clock waiting. */
const turn = () => new Promise<void>((r) => setImmediate(r));

/** A clock the test moves by hand: nothing fires unless the test says so. */
class ManualTimers implements WriterTimers {
  private readonly queue: Array<{ at: number; fn: () => void }> = [];
  now = 0;
  after(ms: number, fn: () => void): () => void {
    const entry = { at: this.now + ms, fn };
    this.queue.push(entry);
    return () => this.queue.splice(this.queue.indexOf(entry) >>> 0, 1);
  }
  get count(): number {
    return this.queue.length;
  }
  /** Moves the clock and runs what came due, letting the promise callbacks they start run too. */
  async advance(ms: number): Promise<void> {
    this.now += ms;
    for (let due = this.queue.filter((t) => t.at <= this.now); due.length; due = this.queue.filter((t) => t.at <= this.now)) {
      for (const t of due) {
        this.queue.splice(this.queue.indexOf(t), 1);
        t.fn();
      }
      await turn();
    }
    await turn();
  }
}

/** A sink that records every INSERT and can be told to fail or hang. */
class FakeSink implements ClickSink {
  readonly batches: string[][] = [];
  readonly stored = new Map<string, number>();
  failNext: unknown[] = [];
  hold?: Promise<void>;

  async insertMany(clicks: readonly NewClick[]): Promise<void> {
    this.batches.push(clicks.map((c) => c.id));
    if (this.hold) await this.hold;
    const failure = this.failNext.shift();
    if (failure) throw failure;
    const bad = clicks.find((c) => c.id.startsWith('bad'));
    if (bad) throw Object.assign(new Error(`invalid input for ${bad.id}`), { code: '22P02' });
    for (const c of clicks) this.stored.set(c.id, (this.stored.get(c.id) ?? 0) + 1);
  }
}

function held(sink: FakeSink): () => void {
  let release!: () => void;
  sink.hold = new Promise<void>((r) => (release = r));
  return () => {
    sink.hold = undefined;
    release();
  };
}

function writer(sink: FakeSink, options: Partial<ClickWriterOptions> = {}): { w: ClickWriter; timers: ManualTimers } {
  const timers = new ManualTimers();
  return { w: new ClickWriter(sink, { driver: 'postgres' }, { timers, ...options }), timers };
}

describe('ClickWriter (group commit)', () => {
  beforeAll(() => Logger.overrideLogger(false));
  afterAll(() => Logger.overrideLogger(['log', 'warn', 'error']));

  it('resolves a click only once its INSERT committed, and a lone click waits for no timer', async () => {
    const sink = new FakeSink();
    const release = held(sink);
    const { w, timers } = writer(sink);
    let answered = false;
    const stored = w.add(click('lone')).then(() => (answered = true));
    await turn();
    // Written at the end of the turn, no timer involved; but not answered while the commit is outstanding.
    expect(sink.batches).toEqual([['lone']]);
    expect(timers.count).toBe(0);
    expect(answered).toBe(false);
    release();
    await stored;
    expect(sink.stored.get('lone')).toBe(1);
    expect(w.buffered).toBe(0);
  });

  it('groups the clicks of one turn into one INSERT, and those arriving during a commit into the next', async () => {
    const sink = new FakeSink();
    const release = held(sink);
    const { w } = writer(sink, { maxInFlight: 1 });
    const first = Array.from({ length: 3 }, (_, i) => w.add(click(`a${i}`)));
    await turn();
    const second = Array.from({ length: 4 }, (_, i) => w.add(click(`b${i}`)));
    await turn();
    expect(sink.batches).toEqual([['a0', 'a1', 'a2']]);
    expect(w.buffered).toBe(7);
    release();
    await Promise.all([...first, ...second]);
    expect(sink.batches).toEqual([
      ['a0', 'a1', 'a2'],
      ['b0', 'b1', 'b2', 'b3'],
    ]);
  });

  it('starts a second batch beside a running one only once minParallelBatch clicks wait', async () => {
    const sink = new FakeSink();
    const release = held(sink);
    const { w } = writer(sink, { maxInFlight: 2, minParallelBatch: 3 });
    const all = [w.add(click('a'))];
    await turn();
    all.push(w.add(click('b')), w.add(click('c')));
    await turn();
    expect(sink.batches).toEqual([['a']]);
    all.push(w.add(click('d')));
    await turn();
    expect(sink.batches).toEqual([['a'], ['b', 'c', 'd']]);
    release();
    await Promise.all(all);
    expect(sink.stored.size).toBe(4);
  });

  it('writes at most maxBatch clicks per INSERT', async () => {
    const sink = new FakeSink();
    const { w } = writer(sink, { maxBatch: 3, maxInFlight: 1 });
    await Promise.all(['a', 'b', 'c', 'd'].map((id) => w.add(click(id))));
    expect(sink.batches).toEqual([['a', 'b', 'c'], ['d']]);
  });

  it('settle waits for batches already in flight as well as the one still collecting', async () => {
    const sink = new FakeSink();
    const release = held(sink);
    const { w } = writer(sink, { maxBatch: 2, maxInFlight: 1 });
    ['a', 'b', 'c'].forEach((id) => void w.add(click(id))); // a+b full: in flight, held; c collecting
    let settled = false;
    const done = w.settle()!.then(() => (settled = true));
    await turn();
    expect(settled).toBe(false);
    release();
    await done;
    expect([...sink.stored.keys()].sort()).toEqual(['a', 'b', 'c']);
    expect(w.settle()).toBeUndefined();
  });

  it('keeps a batch and retries it with backoff while the database is unavailable; its clicks are answered once stored, once', async () => {
    const sink = new FakeSink();
    sink.failNext = [Object.assign(new Error('connection terminated'), { code: 'ECONNRESET' }), new Error('timeout exceeded when trying to connect')];
    const { w, timers } = writer(sink, { retryDelaysMs: [50, 200] });
    let answered = false;
    const both = Promise.all(['a', 'b'].map((id) => w.add(click(id)))).then(() => (answered = true));
    await turn();
    expect(sink.batches).toHaveLength(1);
    await timers.advance(49);
    expect(sink.batches).toHaveLength(1);
    await timers.advance(1);
    expect(sink.batches).toHaveLength(2);
    expect(answered).toBe(false);
    await timers.advance(200);
    await both;
    expect(sink.batches).toEqual([
      ['a', 'b'],
      ['a', 'b'],
      ['a', 'b'],
    ]);
    expect(sink.stored).toEqual(
      new Map([
        ['a', 1],
        ['b', 1],
      ]),
    );
  });

  it('isolates a row the database refuses: the rest of the batch is stored, that click is refused with a 503', async () => {
    const sink = new FakeSink();
    const { w } = writer(sink);
    const [a, bad, b] = ['a', 'bad-1', 'b'].map((id) => w.add(click(id)));
    await expect(a).resolves.toBeUndefined();
    await expect(b).resolves.toBeUndefined();
    const error = await bad.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).getStatus()).toBe(503);
    expect([...sink.stored.keys()].sort()).toEqual(['a', 'b']);
    expect(w.buffered).toBe(0);
  });

  it('makes clicks wait when the buffer is full, and refuses them with a 503 when no room comes in time', async () => {
    const sink = new FakeSink();
    const release = held(sink);
    const { w, timers } = writer(sink, { maxBuffered: 2, maxBatch: 2, backpressureTimeoutMs: 100 });
    const [a, b] = [w.add(click('a')), w.add(click('b'))];
    const c = w.add(click('c'));
    const d = w.add(click('d'));
    await turn();
    expect(w.buffered).toBe(2);
    release();
    // Both waiting clicks get in once 'a' and 'b' are stored (each checks for room again when woken).
    await Promise.all([a, b, c, d]);
    expect([...sink.stored.keys()].sort()).toEqual(['a', 'b', 'c', 'd']);
    expect(timers.count).toBe(0);

    const stuck = new FakeSink();
    stuck.hold = new Promise<void>(() => undefined);
    const full = writer(stuck, { maxBuffered: 1, backpressureTimeoutMs: 30 });
    void full.w.add(click('x'));
    const refused = full.w.add(click('y')).catch((e: unknown) => e);
    await full.timers.advance(29);
    expect(full.w.buffered).toBe(1);
    await full.timers.advance(1);
    const error = await refused;
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).getStatus()).toBe(503);
    expect((error as ApiError).getResponse()).toMatchObject({ error: 'click_store_unavailable' });
  });

  it('stores what is waiting on shutdown, then writes each new click on its own', async () => {
    const sink = new FakeSink();
    const release = held(sink);
    const { w } = writer(sink, { maxInFlight: 1 });
    const waiting = ['a', 'b', 'c'].map((id) => w.add(click(id)));
    await turn();
    const shutdown = w.beforeApplicationShutdown();
    release();
    await shutdown;
    await Promise.all(waiting);
    expect([...sink.stored.keys()].sort()).toEqual(['a', 'b', 'c']);
    await w.add(click('late'));
    expect(sink.batches.at(-1)).toEqual(['late']);
    expect(sink.stored.get('late')).toBe(1);
  });
});
