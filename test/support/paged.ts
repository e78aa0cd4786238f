import type { PostwireProcess } from './postwire-process';

/** A paged list answer of the admin API (`GET /api/conversions`, `/api/deliveries`, `/api/audit-log`). */
export interface Paged<T> {
  items: T[];
  total: number;
  totalIsLowerBound: boolean;
  limit: number;
  offset: number;
}

/**
 * The rows of a paged list: the first page of up to 500 (the most a page holds) unless `path` names its own
 * `limit`. Refuses an answer that is not a page (e.g. a 400) and, without a `limit`, a list with more rows than
 * the page: a test never reads a cut-off list as the whole.
 */
export async function listItems<T>(app: Pick<PostwireProcess, 'api'>, path: string): Promise<T[]> {
  const paged = /[?&]limit=/.test(path);
  const url = paged ? path : `${path}${path.includes('?') ? '&' : '?'}limit=500`;
  const res = await app.api<Paged<T>>('GET', url);
  if (res.status !== 200 || !Array.isArray(res.body?.items)) throw new Error(`GET ${url}: ${res.status} ${JSON.stringify(res.body)}`);
  if (!paged && res.body.total > res.body.items.length) throw new Error(`GET ${url}: ${res.body.total} rows, more than one page`);
  return res.body.items;
}

/**
 * Every row of a paged list, page by page (500 a page). Refuses a list that changed while it was read (its rows
 * do not add up to its total), so a caller polling with waitUntil reads it again.
 */
export async function allItems<T>(app: Pick<PostwireProcess, 'api'>, path: string): Promise<T[]> {
  const items: T[] = [];
  for (let offset = 0; ; offset += 500) {
    const url = `${path}${path.includes('?') ? '&' : '?'}limit=500&offset=${offset}`;
    const res = await app.api<Paged<T>>('GET', url);
    if (res.status !== 200 || !Array.isArray(res.body?.items)) throw new Error(`GET ${url}: ${res.status} ${JSON.stringify(res.body)}`);
    items.push(...res.body.items);
    if (res.body.items.length < 500) {
      if (items.length !== res.body.total) throw new Error(`GET ${path}: read ${items.length} rows of ${res.body.total}; the list changed while read`);
      return items;
    }
  }
}
