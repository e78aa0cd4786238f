import { SegmentedControl } from '@mantine/core';
import { useUrlFilters } from '../useUrlFilters';

/** Which items a setup list shows: the ones in use (the default) or the archived ones. */
export type Shown = 'active' | 'archived';

/** The list's "Active / Archived" switch, kept in the URL (`?show=archived`) so the view can be linked. */
export function useShown(): [Shown, (shown: Shown) => void] {
  const [params, setFilter] = useUrlFilters();
  const shown: Shown = params.get('show') === 'archived' ? 'archived' : 'active';
  return [shown, (next) => setFilter('show', next === 'archived' ? 'archived' : null)];
}

export function ShowFilter({ shown, onChange }: { shown: Shown; onChange: (shown: Shown) => void }) {
  return (
    <SegmentedControl
      aria-label="Show"
      size="xs"
      value={shown}
      onChange={(v) => onChange(v as Shown)}
      data={[
        { value: 'active', label: 'In use' },
        { value: 'archived', label: 'Archived' },
      ]}
    />
  );
}
