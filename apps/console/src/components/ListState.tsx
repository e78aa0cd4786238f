import type { ReactNode } from 'react';
import { QueryState } from './states';

/**
 * A list screen's body: loading and error first, then the rows rendered by `children`; with no rows, `blocker`
 * (a step that must come first, such as "add a network first") when there is one, else `empty`. A blocker never
 * hides rows that exist: offers stay listed when every network is archived, campaigns when every source is.
 */
export function ListState<T>({
  query,
  rows,
  empty,
  blocker,
  children,
}: {
  query: { isLoading: boolean; error: unknown };
  rows: T[] | undefined;
  empty: ReactNode;
  blocker?: ReactNode;
  children: (rows: T[]) => ReactNode;
}) {
  return (
    <QueryState loading={query.isLoading} error={query.error}>
      {!rows || rows.length === 0 ? blocker || empty : children(rows)}
    </QueryState>
  );
}
