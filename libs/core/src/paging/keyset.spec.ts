import { keysetPages } from './keyset';

/** A sorted list of numbers read by keyset, recording each read. */
function source(size: number) {
  const rows = Array.from({ length: size }, (_, i) => i + 1);
  const reads: Array<{ after: number | undefined; limit: number }> = [];
  const fetchPage = async (after: number | undefined, limit: number) => {
    reads.push({ after, limit });
    return rows.filter((r) => after === undefined || r > after).slice(0, limit);
  };
  return { fetchPage, reads };
}

async function drain(size: number, pageSize: number, maxRows: number) {
  const { fetchPage, reads } = source(size);
  const it = keysetPages({ fetchPage, cursorOf: (r) => r, pageSize, maxRows });
  const pages: number[][] = [];
  for (let step = await it.next(); ; step = await it.next()) {
    if (step.done) return { pages, reads, truncated: step.value.truncated };
    pages.push(step.value);
  }
}

describe('keysetPages', () => {
  it('reads every row once, each page after the last', async () => {
    const { pages, reads, truncated } = await drain(7, 3, 100);
    expect(pages).toEqual([[1, 2, 3], [4, 5, 6], [7]]);
    expect(reads.map((r) => r.after)).toEqual([undefined, 3, 6]);
    expect(truncated).toBe(false);
  });

  it('ends with one empty read when the rows fill the last page exactly', async () => {
    const { pages, reads, truncated } = await drain(6, 3, 100);
    expect(pages.flat()).toEqual([1, 2, 3, 4, 5, 6]);
    expect(reads).toHaveLength(3);
    expect(truncated).toBe(false);
  });

  it('stops at maxRows and says rows were left', async () => {
    const { pages, truncated } = await drain(10, 3, 5);
    expect(pages.flat()).toEqual([1, 2, 3, 4, 5]);
    expect(truncated).toBe(true);
  });

  it('is not truncated when the rows end exactly at maxRows', async () => {
    for (const pageSize of [2, 3, 5, 8]) {
      const { pages, truncated } = await drain(6, pageSize, 6);
      expect([pageSize, pages.flat().length, truncated]).toEqual([pageSize, 6, false]);
    }
  });

  it('yields nothing for an empty list', async () => {
    expect(await drain(0, 3, 10)).toMatchObject({ pages: [], truncated: false });
  });
});
