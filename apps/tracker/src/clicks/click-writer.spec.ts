import { Logger } from '@nestjs/common';
import type { NewClick } from '@postwire/persistence';
import { ApiError } from '../http/api-error';
import { ClickWriter, type ClickSink, type ClickWriterOptions } from './click-writer';

const click = (id: string): NewClick => ({ id, campaignId: '3f1c2b8e-5d6a-4c1e-9b2f-7a8d9e0f1a2b', subs: {}, createdAt: new Date() });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

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

function writer(sink: FakeSink, options: Partial<ClickWriterOptions> = {}): ClickWriter {
  return new ClickWriter(sink, { driver: 'postgres' }, { flushIntervalMs: 5, ...options });
}

describe('ClickWriter', () => {
  beforeAll(() => Logger.overrideLogger(false));
  afterAll(() => Logger.overrideLogger(['log', 'warn', 'error']));

  it('answers at once and stores clicks that arrive together in one INSERT, a few ms later', async () => {
    const sink = new FakeSink();
    const w = writer(sink);
    for (let i = 0; i < 10; i++) expect(w.add(click(`c${i}`))).toBeUndefined();
    expect(sink.batches).toEqual([]);
    expect(w.buffered).toBe(10);
    await sleep(30);
    expect(sink.batches).toEqual([Array.from({ length: 10 }, (_, i) => `c${i}`)]);
    expect(w.buffered).toBe(0);
  });

  it('writes a full batch without waiting for the interval', async () => {
    const sink = new FakeSink();
    const w = writer(sink, { maxBatch: 3, flushIntervalMs: 10_000 });
    ['a', 'b', 'c', 'd'].forEach((id) => w.add(click(id)));
    await sleep(5);
    expect(sink.batches).toEqual([['a', 'b', 'c']]);
    expect(w.buffered).toBe(1);
  });

  it('flushIfPending stores the click now and resolves once it is stored; unknown ids need no wait', async () => {
    const sink = new FakeSink();
    const w = writer(sink, { flushIntervalMs: 10_000 });
    w.add(click('early'));
    expect(w.flushIfPending('never-seen')).toBeUndefined();
    await w.flushIfPending('early');
    expect(sink.stored.get('early')).toBe(1);
    expect(w.flushIfPending('early')).toBeUndefined();
  });

  it('settle waits for batches already in flight as well as the one still collecting', async () => {
    const sink = new FakeSink();
    let release!: () => void;
    sink.hold = new Promise<void>((r) => (release = r));
    const w = writer(sink, { maxBatch: 2, flushIntervalMs: 10_000 });
    ['a', 'b'].forEach((id) => w.add(click(id))); // full: in flight, held
    w.add(click('c')); // still collecting
    let settled = false;
    const done = w.settle()!.then(() => (settled = true));
    await sleep(10);
    expect(settled).toBe(false);
    release();
    await done;
    expect([...sink.stored.keys()].sort()).toEqual(['a', 'b', 'c']);
    expect(w.settle()).toBeUndefined();
  });

  it('keeps a batch and retries it while the database is unavailable, storing each click once', async () => {
    const sink = new FakeSink();
    sink.failNext = [Object.assign(new Error('connection terminated'), { code: 'ECONNRESET' }), new Error('timeout exceeded when trying to connect')];
    const w = writer(sink);
    ['a', 'b'].forEach((id) => w.add(click(id)));
    await w.settle();
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

  it('isolates a row the database refuses: the rest of the batch is stored', async () => {
    const sink = new FakeSink();
    const w = writer(sink);
    ['a', 'bad-1', 'b'].forEach((id) => w.add(click(id)));
    await w.settle();
    expect([...sink.stored.keys()].sort()).toEqual(['a', 'b']);
    expect(w.buffered).toBe(0);
  });

  it('makes clicks wait when the buffer is full, and refuses them with a 503 when no room comes', async () => {
    const sink = new FakeSink();
    let release!: () => void;
    sink.hold = new Promise<void>((r) => (release = r));
    const w = writer(sink, { maxBuffered: 2, maxBatch: 2, backpressureTimeoutMs: 100 });
    expect(w.add(click('a'))).toBeUndefined();
    expect(w.add(click('b'))).toBeUndefined();
    const waiting = w.add(click('c'));
    expect(waiting).toBeInstanceOf(Promise);
    const refused = w.add(click('d'));
    release();
    await expect(waiting).resolves.toBeUndefined();
    // Both waiting clicks get in once 'a' and 'b' are stored (each checks for room again when woken).
    await refused;
    await w.settle();
    expect([...sink.stored.keys()].sort()).toEqual(['a', 'b', 'c', 'd']);

    const stuck = new FakeSink();
    stuck.hold = new Promise<void>(() => undefined);
    const full = writer(stuck, { maxBuffered: 1, backpressureTimeoutMs: 30 });
    full.add(click('x'));
    const error = await (full.add(click('y')) as Promise<void>).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).getStatus()).toBe(503);
    expect((error as ApiError).getResponse()).toMatchObject({ error: 'click_store_unavailable' });
  });

  it('stores what it buffers on shutdown, then writes each new click before answering it', async () => {
    const sink = new FakeSink();
    const w = writer(sink, { flushIntervalMs: 10_000 });
    ['a', 'b'].forEach((id) => w.add(click(id)));
    await w.beforeApplicationShutdown();
    expect(sink.batches).toEqual([['a', 'b']]);
    const late = w.add(click('late'));
    expect(late).toBeInstanceOf(Promise);
    await late;
    expect(sink.stored.get('late')).toBe(1);
  });
});
