import { useState } from 'react';

/** The rows ticked in a list for a bulk action; ids no longer in the list drop out of the selection. */
export function useRowSelection(rowIds: readonly string[]) {
  const [picked, setPicked] = useState<ReadonlySet<string>>(new Set());
  const selected = rowIds.filter((id) => picked.has(id));
  return {
    selected,
    isSelected: (id: string) => picked.has(id),
    toggle: (id: string) =>
      setPicked((prev) => {
        const next = new Set(prev);
        if (!next.delete(id)) next.add(id);
        return next;
      }),
    allSelected: rowIds.length > 0 && selected.length === rowIds.length,
    someSelected: selected.length > 0 && selected.length < rowIds.length,
    toggleAll: () => setPicked(selected.length === rowIds.length ? new Set() : new Set(rowIds)),
    clear: () => setPicked(new Set()),
  };
}

export type RowSelection = ReturnType<typeof useRowSelection>;
