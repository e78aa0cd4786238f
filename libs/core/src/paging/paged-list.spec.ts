import { COUNT_CAP } from './page-limits';
import { cappedTotal, emptyPage, pageOf, pageSpan } from './paged-list';

describe('cappedTotal', () => {
  it('is exact up to the cap and a lower bound past it', () => {
    expect(cappedTotal(0)).toEqual({ total: 0, totalIsLowerBound: false });
    expect(cappedTotal(515)).toEqual({ total: 515, totalIsLowerBound: false });
    expect(cappedTotal(COUNT_CAP)).toEqual({ total: COUNT_CAP, totalIsLowerBound: false });
    expect(cappedTotal(COUNT_CAP + 1)).toEqual({ total: COUNT_CAP, totalIsLowerBound: true });
    expect(cappedTotal(11, 10)).toEqual({ total: 10, totalIsLowerBound: true });
  });

  it('refuses a count that is not a row count', () => {
    expect(() => cappedTotal(-1)).toThrow(RangeError);
    expect(() => cappedTotal(1.5)).toThrow(RangeError);
  });
});

describe('pageOf and emptyPage', () => {
  it('carry the request and the capped total', () => {
    expect(pageOf(['a'], COUNT_CAP + 1, { limit: 1, offset: 7 })).toEqual({ items: ['a'], total: COUNT_CAP, totalIsLowerBound: true, limit: 1, offset: 7 });
    expect(emptyPage({ limit: 50, offset: 0 })).toEqual({ items: [], total: 0, totalIsLowerBound: false, limit: 50, offset: 0 });
  });

  it('never count fewer rows than the page shows (a row written between the page and its count)', () => {
    expect(pageOf(['a'], 0, { limit: 50, offset: 0 })).toMatchObject({ total: 1, totalIsLowerBound: false });
    expect(pageOf(['a', 'b'], 3, { limit: 2, offset: 2 })).toMatchObject({ total: 4, totalIsLowerBound: false });
    expect(pageOf(['a'], 9, { limit: 50, offset: 0 })).toMatchObject({ total: 9 });
    expect(pageOf([], 0, { limit: 50, offset: 100 })).toMatchObject({ total: 0 });
  });
});

describe('pageSpan', () => {
  it('numbers the rows from 1 and finds the neighbours', () => {
    expect(pageSpan({ total: 515, totalIsLowerBound: false, limit: 50, offset: 0, shown: 50 })).toEqual({ first: 1, last: 50, previous: null, next: 50 });
    expect(pageSpan({ total: 515, totalIsLowerBound: false, limit: 50, offset: 500, shown: 15 })).toEqual({ first: 501, last: 515, previous: 450, next: null });
    expect(pageSpan({ total: 515, totalIsLowerBound: false, limit: 100, offset: 30, shown: 100 })).toEqual({ first: 31, last: 130, previous: 0, next: 130 });
  });

  it('shows nothing on an empty list or past the end', () => {
    expect(pageSpan({ total: 0, totalIsLowerBound: false, limit: 50, offset: 0, shown: 0 })).toEqual({ first: 0, last: 0, previous: null, next: null });
    expect(pageSpan({ total: 10, totalIsLowerBound: false, limit: 50, offset: 100, shown: 0 })).toEqual({ first: 0, last: 100, previous: 50, next: null });
  });

  it('keeps a next page past a lower-bound total while pages are full', () => {
    expect(pageSpan({ total: 10, totalIsLowerBound: true, limit: 5, offset: 10, shown: 5 }).next).toBe(15);
    expect(pageSpan({ total: 10, totalIsLowerBound: true, limit: 5, offset: 15, shown: 3 }).next).toBeNull();
  });
});
