import { TextInput } from '@mantine/core';

/** From and to days of a list (both included), in the user's zone; kept in the URL by usePagedFilters. */
export function DateRangeFilter({ from, to, onChange }: { from: string; to: string; onChange: (key: 'from' | 'to', day: string | null) => void }) {
  return (
    <>
      <TextInput label="From day" type="date" value={from} max={to || undefined} onChange={(e) => onChange('from', e.currentTarget.value || null)} />
      <TextInput label="To day (included)" type="date" value={to} min={from || undefined} onChange={(e) => onChange('to', e.currentTarget.value || null)} />
    </>
  );
}
