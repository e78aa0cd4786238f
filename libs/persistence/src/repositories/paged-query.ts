import { COUNT_CAP, pageOf, type Page, type PageRequest } from '@postwire/core';
import type { SqlExecutor } from '../client/sql-client';

/** A list query split in the parts a page and its count share; `params` are numbered `$1…` in `where`. */
export interface ListQuery {
  /** The selected columns (`SELECT` is added). */
  columns: string;
  /** The table(s) and joins (`FROM` is added). */
  from: string;
  /** Conditions joined by AND; none: every row. */
  where: readonly string[];
  params: readonly unknown[];
  /** The full order, ending on a unique column so pages never overlap (`ORDER BY` is added). */
  orderBy: string;
}

/**
 * One page of a list and the total of its matching rows, counted over at most `COUNT_CAP + 1` rows so a
 * count on a huge table costs no more than reading that many index entries (docs/storage.md, "Paged lists").
 * Both statements run at once; `map` turns a row into the list's item.
 */
export async function pagedQuery<R, T = R>(
  db: SqlExecutor,
  q: ListQuery,
  page: PageRequest,
  map: (row: R) => T = (row) => row as unknown as T,
): Promise<Page<T>> {
  const whereSql = q.where.length ? `WHERE ${q.where.join(' AND ')}` : '';
  const n = q.params.length;
  const [rows, count] = await Promise.all([
    db.query<R>(`SELECT ${q.columns} FROM ${q.from} ${whereSql} ORDER BY ${q.orderBy} LIMIT $${n + 1} OFFSET $${n + 2}`, [
      ...q.params,
      page.limit,
      page.offset,
    ]),
    db.query<{ n: number }>(`SELECT count(*)::int AS n FROM (SELECT 1 FROM ${q.from} ${whereSql} LIMIT $${n + 1}) AS capped`, [...q.params, COUNT_CAP + 1]),
  ]);
  return pageOf(rows.rows.map(map), count.rows[0].n, page);
}

/** Builds a list's WHERE: `add('status = ?', value)` numbers the parameter. */
export function whereBuilder() {
  const where: string[] = [];
  const params: unknown[] = [];
  return {
    where,
    params,
    add(sql: string, value: unknown) {
      params.push(value);
      where.push(sql.replace(/\?/g, `$${params.length}`));
    },
  };
}
