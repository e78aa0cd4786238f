import { TurnBatcher } from './turn-batcher';

describe('TurnBatcher', () => {
  function recording(options = { maxBatch: 100, maxInFlight: 1 }) {
    const batches: number[][] = [];
    let release: (() => void) | undefined;
    const gate = { hold: false };
    const batcher = new TurnBatcher<number, number>(async (items) => {
      batches.push(items);
      if (gate.hold) await new Promise<void>((r) => (release = r));
      return items.map((i) => i * 10);
    }, options);
    return { batcher, batches, gate, release: () => release?.() };
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
    const batcher = new TurnBatcher<number, number>(
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
    const batcher = new TurnBatcher<number, number>(async () => [1], { maxBatch: 10, maxInFlight: 1 });
    await expect(Promise.all([batcher.add(1), batcher.add(2)])).rejects.toThrow('batch of 2 answered with 1 results');
  });
});
