import type { ReactNode } from 'react';
import { QueryState } from './states';

/**
 * A list screen's body: loading and error first, then `blocker` (a step that must come first), then
 * `empty` when there are no rows, else the rows rendered by `children`.
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
      {blocker ? blocker : !rows || rows.length === 0 ? empty : children(rows)}
    </QueryState>
  );
}
