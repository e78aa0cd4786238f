import { PAGE_LIMIT } from '@postwire/core/paging';
import { zonedLocalToUtc } from '../../lib/zoned-time';
import { useUrlFilters } from '../useUrlFilters';

/** The page sizes the pager offers (the API allows 1 to PAGE_LIMIT.max). */
export const PAGE_SIZES = [25, 50, 100, 200, PAGE_LIMIT.max] as const;

/** A whole number from the URL within [min, max], else the fallback (a hand-edited URL never breaks the page). */
function urlNumber(value: string | null, fallback: number, min: number, max: number): number {
  const n = Number(value);
  return value !== null && Number.isInteger(n) && n >= min && n <= max ? n : fallback;
}

/**
 * A paged list's state in the URL: its filters (`get('status')`), `limit` and `offset`, and the date range
 * `from`/`to` as days (YYYY-MM-DD) in the user's zone. A new filter starts again at the first page.
 * `query(keys)` gives the API query: the named filters that are set, the range as instants, limit and offset.
 */
export function usePagedFilters(timeZone: string) {
  const [params, , setParams] = useUrlFilters();
  const limit = urlNumber(params.get('limit'), PAGE_LIMIT.default, PAGE_LIMIT.min, PAGE_LIMIT.max);
  const offset = urlNumber(params.get('offset'), 0, 0, 1_000_000);
  const get = (key: string) => params.get(key) ?? '';
  const filterBy = (key: string, value: string | null) => setParams({ [key]: value || null, offset: null });
  const setLimit = (next: number) => setParams({ limit: next === PAGE_LIMIT.default ? null : String(next), offset: null });
  const goTo = (next: number) => setParams({ offset: next > 0 ? String(next) : null });
  /** The day boundaries in the user's zone: `from` at its midnight, `to` at the midnight after (the range includes the to-day). */
  const range = () => {
    const day = (key: string) => (/^\d{4}-\d{2}-\d{2}$/.test(get(key)) ? get(key) : '');
    const from = day('from');
    const to = day('to');
    const nextDay = (d: string) => new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    return {
      from: from ? zonedLocalToUtc(`${from}T00:00`, timeZone).toISOString() : undefined,
      to: to ? zonedLocalToUtc(`${nextDay(to)}T00:00`, timeZone).toISOString() : undefined,
    };
  };
  const filters = (keys: readonly string[]) => Object.fromEntries(keys.filter((k) => get(k)).map((k) => [k, get(k)]));
  const query = (keys: readonly string[]) => ({ ...filters(keys), ...range(), limit, offset });
  /** The same filters without the page: what an export downloads. */
  const exportQuery = (keys: readonly string[]) => ({ ...filters(keys), ...range() });
  return { get, filterBy, limit, offset, setLimit, goTo, query, exportQuery };
}
