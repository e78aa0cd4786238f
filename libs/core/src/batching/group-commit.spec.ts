import { GroupCommit, type GroupCommitOptions } from './group-commit';

describe('GroupCommit', () => {
  function recording(options: GroupCommitOptions<number> = { maxBatch: 100, maxInFlight: 1 }) {
    const batches: number[][] = [];
    const held: Array<() => void> = [];
    const gate = { hold: false };
    const batcher = new GroupCommit<number, number>(async (items) => {
      batches.push(items);
      if (gate.hold) await new Promise<void>((r) => held.push(r));
      return items.map((i) => i * 10);
    }, options);
    // Lets every held batch finish.
    return { batcher, batches, gate, release: () => held.splice(0).forEach((r) => r()) };
  }

  it('runs a lone call by itself at the end of its turn', async () => {
    const { batcher, batches } = recording();
    expect(await batcher.add(1)).toBe(10);
    expect(batches).toEqual([[1]]);
  });

  it('joins calls of one turn into one batch and answers each with its own result', async () => {
    const { batcher, batches } = recording();
    expect(await Promise.all([batcher.add(1), batcher.add(2), batcher.add(3)])).toEqual([10, 20, 30]);
    expect(batches).toEqual([[1, 2, 3]]);
  });

  it('collects calls made while a batch runs into the next one', async () => {
    const { batcher, batches, gate, release } = recording();
    gate.hold = true;
    const first = batcher.add(1);
    await new Promise((r) => setImmediate(r));
    const later = [batcher.add(2), batcher.add(3)];
    await new Promise((r) => setImmediate(r));
    expect(batches).toEqual([[1]]);
    gate.hold = false;
    release();
    expect(await Promise.all([first, ...later])).toEqual([10, 20, 30]);
    expect(batches).toEqual([[1], [2, 3]]);
  });

  it('splits at maxBatch', async () => {
    const { batcher, batches } = recording({ maxBatch: 2, maxInFlight: 5 });
    await Promise.all([1, 2, 3, 4, 5].map((i) => batcher.add(i)));
    expect(batches).toEqual([[1, 2], [3, 4], [5]]);
  });

  it('gives every caller of a failed batch its error, and goes on with the next', async () => {
    let fail = true;
    const batcher = new GroupCommit<number, number>(
      async (items) => {
        if (fail) throw new Error('database away');
        return items;
      },
      { maxBatch: 10, maxInFlight: 1 },
    );
    const results = await Promise.allSettled([batcher.add(1), batcher.add(2)]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect((results[0] as PromiseRejectedResult).reason).toEqual(new Error('database away'));
    fail = false;
    expect(await batcher.add(3)).toBe(3);
  });

  it('refuses a batch answered with the wrong number of results', async () => {
    const batcher = new GroupCommit<number, number>(async () => [1], { maxBatch: 10, maxInFlight: 1 });
    await expect(Promise.all([batcher.add(1), batcher.add(2)])).rejects.toThrow('batch of 2 answered with 1 results');
  });

  it('counts an item by its weight towards maxBatch and never splits one', async () => {
    const batches: string[][][] = [];
    const batcher = new GroupCommit<string[], number>(
      async (calls) => {
        batches.push(calls);
        return calls.map((c) => c.length);
      },
      { maxBatch: 3, maxInFlight: Infinity, weigh: (call) => call.length },
    );
    expect(await Promise.all([batcher.add(['a', 'b']), batcher.add(['c']), batcher.add(['d', 'e', 'f', 'g']), batcher.add(['h'])])).toEqual([2, 1, 4, 1]);
    expect(batches).toEqual([[['a', 'b'], ['c']], [['d', 'e', 'f', 'g']], [['h']]]);
  });

  it('starts a second batch beside a running one only once minParallelBatch items wait', async () => {
    const { batcher, batches, gate, release } = recording({ maxBatch: 100, maxInFlight: 2, minParallelBatch: 3 });
    gate.hold = true;
    const all = [batcher.add(1)];
    await new Promise((r) => setImmediate(r));
    all.push(batcher.add(2), batcher.add(3));
    await new Promise((r) => setImmediate(r));
    expect(batches).toEqual([[1]]);
    all.push(batcher.add(4));
    await new Promise((r) => setImmediate(r));
    expect(batches).toEqual([[1], [2, 3, 4]]);
    gate.hold = false;
    release();
    expect(await Promise.all(all)).toEqual([10, 20, 30, 40]);
  });

  it('flush starts what waits at once and resolves when everything added so far is answered', async () => {
    const { batcher, batches, gate, release } = recording({ maxBatch: 100, maxInFlight: 1 });
    expect(batcher.flush()).toBeUndefined();
    gate.hold = true;
    const first = batcher.add(1);
    await new Promise((r) => setImmediate(r));
    const second = batcher.add(2);
    expect(batcher.pending).toBe(2);
    let flushed = false;
    const done = batcher.flush()!.then(() => (flushed = true));
    await new Promise((r) => setImmediate(r));
    expect(flushed).toBe(false);
    gate.hold = false;
    release();
    await done;
    expect(await Promise.all([first, second])).toEqual([10, 20]);
    expect(batches).toEqual([[1], [2]]);
    expect(batcher.pending).toBe(0);
  });
});
