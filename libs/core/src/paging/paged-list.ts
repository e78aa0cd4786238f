import { COUNT_CAP } from './page-limits';

/** Where a page starts and how many rows it holds at most. */
export interface PageRequest {
  limit: number;
  offset: number;
}

/** The total of a list as the API reports it: exact up to {@link COUNT_CAP}, else that cap and a flag. */
export interface PageTotal {
  total: number;
  /** True when more rows match than were counted: `total` is then {@link COUNT_CAP}, and there are more. */
  totalIsLowerBound: boolean;
}

/** One page of a list: the shape every paged list endpoint answers. */
export interface Page<T> extends PageTotal, PageRequest {
  items: T[];
}

/**
 * The total from a count taken over at most `COUNT_CAP + 1` rows: seeing one row past the cap is how
 * the count knows it stopped early.
 */
export function cappedTotal(counted: number, cap: number = COUNT_CAP): PageTotal {
  if (!Number.isInteger(counted) || counted < 0) throw new RangeError(`a row count must be a whole number >= 0, got ${counted}`);
  return counted > cap ? { total: cap, totalIsLowerBound: true } : { total: counted, totalIsLowerBound: false };
}

/**
 * A page from its rows and the capped count of every matching row. The rows and the count are two
 * statements (run at once, each in its own snapshot), so a row written between them can be in the page
 * and not in the count: the total is then raised to what the page shows, never "1–1 of 0".
 */
export function pageOf<T>(items: T[], counted: number, request: PageRequest, cap: number = COUNT_CAP): Page<T> {
  const shown = items.length ? request.offset + items.length : 0;
  return { items, ...cappedTotal(Math.max(counted, shown), cap), limit: request.limit, offset: request.offset };
}

/** An empty page (a filter that can match nothing, e.g. a client scoped to no campaign). */
export function emptyPage<T>(request: PageRequest): Page<T> {
  return { items: [], total: 0, totalIsLowerBound: false, limit: request.limit, offset: request.offset };
}

/**
 * The rows a page shows, counted from 1 ("51–100 of 515"), and where the neighbouring pages start.
 * `next` is null on the last page; past the end of a lower-bound total there may still be a next page.
 */
export function pageSpan(page: Pick<Page<unknown>, 'total' | 'totalIsLowerBound' | 'limit' | 'offset'> & { shown: number }): {
  first: number;
  last: number;
  previous: number | null;
  next: number | null;
} {
  const first = page.shown ? page.offset + 1 : 0;
  const last = page.offset + page.shown;
  const moreCounted = last < page.total;
  // A full page at or past a lower-bound total: rows may follow that were never counted.
  const moreUncounted = page.totalIsLowerBound && page.shown === page.limit;
  return {
    first,
    last,
    previous: page.offset > 0 ? Math.max(0, page.offset - page.limit) : null,
    next: moreCounted || moreUncounted ? page.offset + page.limit : null,
  };
}
