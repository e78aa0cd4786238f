import { useSearchParams } from 'react-router';

/**
 * A list screen's filters kept in the URL, so a filtered view can be linked and survives a reload.
 * `setFilter(key, value)` sets one filter; an empty value removes it.
 */
export function useUrlFilters() {
  const [params, setParams] = useSearchParams();
  const setFilter = (key: string, value: string | null) =>
    setParams((prev) => {
      const next = new URLSearchParams(prev);
      if (value) next.set(key, value);
      else next.delete(key);
      return next;
    });
  return [params, setFilter] as const;
}
