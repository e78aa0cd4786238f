import { Checkbox, Table } from '@mantine/core';
import type { RowSelection } from './useRowSelection';

/** The header cell that ticks every row of the list. */
export function SelectAllHeader({ selection, label }: { selection: RowSelection; label: string }) {
  return (
    <Table.Th w={36}>
      <Checkbox aria-label={`Select all ${label}`} checked={selection.allSelected} indeterminate={selection.someSelected} onChange={selection.toggleAll} />
    </Table.Th>
  );
}

/** The cell that ticks one row, named after it. */
export function SelectCell({ selection, id, name }: { selection: RowSelection; id: string; name: string }) {
  return (
    <Table.Td>
      <Checkbox aria-label={`Select ${name}`} checked={selection.isSelected(id)} onChange={() => selection.toggle(id)} />
    </Table.Td>
  );
}
