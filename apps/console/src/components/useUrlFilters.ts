import { useSearchParams } from 'react-router';

/**
 * A list screen's filters kept in the URL, so a filtered view can be linked and survives a reload.
 * `setFilter(key, value)` sets one filter; an empty value removes it. `setFilters({ key: value, … })` sets
 * several in one navigation: two `setFilter` calls in a row would each start from the same URL, and the
 * second would undo the first.
 */
export function useUrlFilters() {
  const [params, setParams] = useSearchParams();
  const setFilters = (changes: Record<string, string | null>) =>
    setParams((prev) => {
      const next = new URLSearchParams(prev);
      for (const [key, value] of Object.entries(changes)) {
        if (value) next.set(key, value);
        else next.delete(key);
      }
      return next;
    });
  const setFilter = (key: string, value: string | null) => setFilters({ [key]: value });
  return [params, setFilter, setFilters] as const;
}
