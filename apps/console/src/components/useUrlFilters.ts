import { useSearchParams } from 'react-router';

/**
 * A list screen's filters kept in the URL, so a filtered view can be linked and survives a reload.
 * `setFilter(key, value)` sets one filter; an empty value removes it. `setFilters({ key: value, … })` sets
 * several in one navigation: two `setFilter` calls in a row would each start from the same URL, and the
 * second would undo the first.
 */
export function useUrlFilters() {
  const [params, setParams] = useSearchParams();
  const setFilters = (changes: Record<string, string | null>) => {
    // From the URL as it is now, not from the params of the last render: React Router's functional update
    // starts from those, so two changes made before the list re-rendered (To, then From) lost the first,
    // which left an inverted range behind now and then. The browser router writes the URL at once.
    const next = new URLSearchParams(window.location.search);
    for (const [key, value] of Object.entries(changes)) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    setParams(next);
  };
  const setFilter = (key: string, value: string | null) => setFilters({ [key]: value });
  return [params, setFilter, setFilters] as const;
}
