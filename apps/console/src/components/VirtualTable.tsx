import { Table } from '@mantine/core';
import { flexRender, type Table as TanTable } from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useRef, type ReactNode } from 'react';

const ROW_HEIGHT = 36;

/**
 * A TanStack table whose body is virtualised: only the rows in view are in the DOM, so 10,000 rows
 * scroll smoothly. Header and the optional totals row stay put.
 */
export function VirtualTable<T>({
  table,
  footer,
  onRowClick,
  height = 520,
  label,
  stickyFirstColumn = false,
}: {
  table: TanTable<T>;
  footer?: ReactNode;
  onRowClick?: (row: T) => void;
  height?: number;
  label: string;
  /** Keep the first column in view while wide tables scroll sideways (the report's group names). */
  stickyFirstColumn?: boolean;
}) {
  const sticky = (index: number) =>
    stickyFirstColumn && index === 0 ? ({ position: 'sticky', left: 0, zIndex: 1, background: 'var(--mantine-color-body)' } as const) : {};
  const scroller = useRef<HTMLDivElement>(null);
  const rows = table.getRowModel().rows;
  const virtual = useVirtualizer({ count: rows.length, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: 12 });
  const items = virtual.getVirtualItems();
  const padTop = items.length ? items[0].start : 0;
  const padBottom = items.length ? virtual.getTotalSize() - items[items.length - 1].end : 0;
  const columns = table.getVisibleLeafColumns().length;
  return (
    <div ref={scroller} style={{ maxHeight: height, overflow: 'auto' }} data-testid="report-scroller" tabIndex={0} aria-label={`${label}, scrollable`}>
      <Table
        striped
        highlightOnHover
        stickyHeader
        horizontalSpacing={stickyFirstColumn ? 'xs' : undefined}
        aria-label={label}
        style={{ fontVariantNumeric: 'tabular-nums' }}
      >
        <Table.Thead>
          {table.getHeaderGroups().map((group) => (
            <Table.Tr key={group.id}>
              {group.headers.map((header, index) => {
                const numeric = (header.column.columnDef.meta as { numeric?: boolean } | undefined)?.numeric;
                const sorted = header.column.getIsSorted();
                return (
                  <Table.Th
                    key={header.id}
                    ta={numeric ? 'right' : 'left'}
                    aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : undefined}
                    style={{ whiteSpace: 'nowrap', ...sticky(index), ...(stickyFirstColumn && index === 0 ? { zIndex: 3 } : {}) }}
                  >
                    {header.column.getCanSort() ? (
                      <button type="button" onClick={header.column.getToggleSortingHandler()} className="sort-button">
                        {flexRender(header.column.columnDef.header, header.getContext())}
                        {sorted === 'asc' ? ' ▲' : sorted === 'desc' ? ' ▼' : ''}
                      </button>
                    ) : (
                      flexRender(header.column.columnDef.header, header.getContext())
                    )}
                  </Table.Th>
                );
              })}
            </Table.Tr>
          ))}
        </Table.Thead>
        <Table.Tbody>
          {padTop > 0 && (
            <tr>
              <td colSpan={columns} style={{ height: padTop, padding: 0 }} />
            </tr>
          )}
          {items.map((item) => {
            const row = rows[item.index];
            return (
              <Table.Tr
                key={row.id}
                style={{ height: ROW_HEIGHT, cursor: onRowClick ? 'pointer' : undefined }}
                onClick={onRowClick ? () => onRowClick(row.original) : undefined}
                onKeyDown={onRowClick ? (e) => (e.key === 'Enter' ? onRowClick(row.original) : undefined) : undefined}
                tabIndex={onRowClick ? 0 : undefined}
                data-testid="report-row"
              >
                {row.getVisibleCells().map((cell, index) => (
                  <Table.Td
                    key={cell.id}
                    ta={(cell.column.columnDef.meta as { numeric?: boolean } | undefined)?.numeric ? 'right' : 'left'}
                    style={{ whiteSpace: 'nowrap', ...sticky(index) }}
                  >
                    {flexRender(cell.column.columnDef.cell, cell.getContext())}
                  </Table.Td>
                ))}
              </Table.Tr>
            );
          })}
          {padBottom > 0 && (
            <tr>
              <td colSpan={columns} style={{ height: padBottom, padding: 0 }} />
            </tr>
          )}
        </Table.Tbody>
        {footer && <Table.Tfoot style={{ position: 'sticky', bottom: 0, background: 'var(--mantine-color-body)', fontWeight: 700 }}>{footer}</Table.Tfoot>}
      </Table>
    </div>
  );
}
