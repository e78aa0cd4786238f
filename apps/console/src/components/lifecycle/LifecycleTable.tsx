import { Group, Stack, Table, Text, VisuallyHidden } from '@mantine/core';
import { useState, type ReactNode } from 'react';
import { stateOf, useLifecycle, type BulkAction, type CatalogKind, type LifecycleState } from '../../lib/lifecycle';
import { SideDrawer } from '../SideDrawer';
import { ErrorNote } from '../states';
import { BulkBar } from './BulkBar';
import { DeleteDialog } from './DeleteDialog';
import { History } from './History';
import { RowMenu, type RowActions } from './RowMenu';
import { SelectAllHeader, SelectCell } from './SelectCells';
import type { Shown } from './ShowFilter';
import { StateBadge, TagBadges } from './StateBadge';
import { useRowSelection } from './useRowSelection';

/** One column of a lifecycle list: its header and what a row shows in it. */
export interface Column<T> {
  header: string;
  cell: (row: T) => ReactNode;
  align?: 'left' | 'right';
}

/**
 * A setup list with the lifecycle of its items: a tick box per row and bulk actions on the ticked ones,
 * each row's state (paused, archived) and tags beside its name, and a row menu to edit, pause or resume,
 * clone, see the history, archive or restore, and delete (a refusal naming what refers to the item is
 * shown in the dialog). Which actions a kind has is the caller's to say.
 */
export function LifecycleTable<T extends { id: string }>({
  label,
  kind,
  rows,
  shown,
  nameOf,
  columns,
  cloneable = false,
  onEdit,
  onCloned,
  rowButtons,
}: {
  label: string;
  kind: CatalogKind;
  rows: T[];
  shown: Shown;
  nameOf: (row: T) => string;
  columns: Column<T>[];
  /** Whether the kind can be cloned (offers, campaigns). */
  cloneable?: boolean;
  onEdit?: (row: T) => void;
  /** The copy was made (named "… (copy)"): the caller opens it to be renamed. */
  onCloned?: (copy: LifecycleState) => void;
  /** Buttons of the row before its menu (details, goals…). */
  rowButtons?: (row: T) => ReactNode;
}) {
  const lifecycle = useLifecycle(kind);
  const selection = useRowSelection(rows.map((r) => r.id));
  const [deleting, setDeleting] = useState<T | null>(null);
  const [historyOf, setHistoryOf] = useState<T | null>(null);
  const bulkActions: BulkAction[] = shown === 'archived' ? ['restore', 'tag', 'untag'] : ['pause', 'resume', 'archive', 'tag', 'untag'];
  const rowError = lifecycle.pause.error ?? lifecycle.resume.error ?? lifecycle.archive.error ?? lifecycle.restore.error ?? lifecycle.clone.error;
  function actionsOf(row: T): RowActions {
    const state = stateOf(row);
    return {
      edit: onEdit && !state.archived ? () => onEdit(row) : undefined,
      pause: !state.archived && !state.paused ? () => lifecycle.pause.mutate(row.id) : undefined,
      resume: !state.archived && state.paused ? () => lifecycle.resume.mutate(row.id) : undefined,
      clone: cloneable && !state.archived ? () => lifecycle.clone.mutate(row.id, { onSuccess: (copy) => onCloned?.(copy) }) : undefined,
      history: () => setHistoryOf(row),
      archive: !state.archived ? () => lifecycle.archive.mutate(row.id) : undefined,
      restore: state.archived ? () => lifecycle.restore.mutate(row.id) : undefined,
      remove: () => {
        lifecycle.remove.reset();
        setDeleting(row);
      },
    };
  }
  return (
    <Stack>
      <BulkBar
        selection={selection}
        actions={bulkActions}
        run={(action, ids, tags) => lifecycle.bulk.mutateAsync({ action, ids, ...(tags ? { tags } : {}) })}
        pending={lifecycle.bulk.isPending}
        error={lifecycle.bulk.error}
      />
      <ErrorNote error={rowError} />
      <Table striped highlightOnHover aria-label={label}>
        <Table.Thead>
          <Table.Tr>
            <SelectAllHeader selection={selection} label={label.toLowerCase()} />
            {columns.map((c) => (
              <Table.Th key={c.header} ta={c.align}>
                {c.header}
              </Table.Th>
            ))}
            <Table.Th>
              <VisuallyHidden>Actions</VisuallyHidden>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((row) => {
            const state = stateOf(row);
            return (
              <Table.Tr key={row.id} data-testid="lifecycle-row">
                <SelectCell selection={selection} id={row.id} name={nameOf(row)} />
                {columns.map((c, i) => (
                  <Table.Td key={c.header} ta={c.align}>
                    {i === 0 ? (
                      <Group gap={6}>
                        <Text size="sm">{c.cell(row)}</Text>
                        <StateBadge paused={state.paused} archived={state.archived} />
                        <TagBadges tags={state.tags} />
                      </Group>
                    ) : (
                      c.cell(row)
                    )}
                  </Table.Td>
                ))}
                <Table.Td ta="right">
                  <Group gap={4} justify="flex-end" wrap="nowrap">
                    {rowButtons?.(row)}
                    <RowMenu name={nameOf(row)} actions={actionsOf(row)} />
                  </Group>
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
      <DeleteDialog
        name={deleting ? nameOf(deleting) : ''}
        opened={!!deleting}
        onClose={() => setDeleting(null)}
        onDelete={() => deleting && lifecycle.remove.mutate(deleting.id, { onSuccess: () => setDeleting(null) })}
        onArchive={deleting && !stateOf(deleting).archived ? () => lifecycle.archive.mutate(deleting.id, { onSuccess: () => setDeleting(null) }) : undefined}
        pending={lifecycle.remove.isPending}
        error={lifecycle.remove.error}
      />
      <SideDrawer opened={!!historyOf} onClose={() => setHistoryOf(null)} title={`History of ${historyOf ? nameOf(historyOf) : ''}`} size="lg">
        {historyOf && <History kind={kind} id={historyOf.id} />}
      </SideDrawer>
    </Stack>
  );
}
