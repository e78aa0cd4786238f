import { REPORT_COLUMNS, type ReportColumn, type ReportDimension } from './dimensions';
import { addSums, compareFigure, EMPTY_SUMS, reportFigures, type ReportFigures, type RowSums } from './report-math';

/** A group as the storage side hands it over: keys, names of ids, summed figures. */
export interface ReportGroup {
  keys: Partial<Record<ReportDimension, string>>;
  names: Partial<Record<string, string | null>>;
  sums: RowSums;
}

/** A report row: its group keys (`campaign` plus `campaignName`, …) and every figure. */
export type ReportRow = Record<string, string | number | null>;

export interface SortKey {
  /** A figure, a groupBy dimension, or `campaignName` (…) for an id dimension. */
  column: ReportColumn | ReportDimension | `${string}Name`;
  descending: boolean;
}

export interface AssembledReport {
  rows: ReportRow[];
  /** The whole filtered set, before limit/offset. */
  totals: ReportFigures;
  /** Rows before limit/offset. */
  totalRows: number;
}

/** Reads `-roi,clicks` into sort keys; returns the first bad entry's reason. */
export function parseSort(text: string, groupBy: readonly string[]): { ok: true; keys: SortKey[] } | { ok: false; reason: string } {
  const keys: SortKey[] = [];
  for (const part of text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const descending = part.startsWith('-');
    const column = descending ? part.slice(1) : part;
    const isName =
      column.endsWith('Name') && ['campaign', 'offer', 'network', 'trafficSource'].includes(column.slice(0, -4)) && groupBy.includes(column.slice(0, -4));
    if (!(REPORT_COLUMNS as readonly string[]).includes(column) && !groupBy.includes(column) && !isName) {
      return { ok: false, reason: `"${column.slice(0, 40)}" is neither a column, a groupBy dimension nor the name of one` };
    }
    keys.push({ column: column as SortKey['column'], descending });
  }
  return { ok: true, keys };
}

/**
 * Turns summed groups into the report: derived columns, sort (ties broken by the group keys, so
 * pages are stable), totals over every group, then the page.
 */
export function assembleReport(
  groups: readonly ReportGroup[],
  opts: { groupBy: readonly ReportDimension[]; sort: SortKey[]; limit?: number; offset?: number },
): AssembledReport {
  const rows = groups.map((g) => {
    const row: ReportRow = {};
    for (const d of opts.groupBy) {
      row[d] = g.keys[d] ?? '';
      if (d in g.names) row[`${d}Name`] = g.names[d] ?? null;
    }
    return Object.assign(row, reportFigures(g.sums));
  });
  const order: SortKey[] = [...opts.sort, ...opts.groupBy.map((d) => ({ column: d, descending: false }))];
  rows.sort((a, b) => {
    for (const key of order) {
      const av = a[key.column];
      const bv = b[key.column];
      const c = (REPORT_COLUMNS as readonly string[]).includes(key.column)
        ? compareFigure(av, bv)
        : String(av ?? '') < String(bv ?? '')
          ? -1
          : String(av ?? '') > String(bv ?? '')
            ? 1
            : 0;
      // Figures without a value (a ratio without denominator) come last either way, as the database sorts them (NULLS LAST).
      if (c !== 0) return key.descending && av !== null && bv !== null ? -c : c;
    }
    return 0;
  });
  const totals = reportFigures(groups.reduce((acc, g) => addSums(acc, g.sums), EMPTY_SUMS));
  const offset = opts.offset ?? 0;
  return { rows: opts.limit === undefined ? rows.slice(offset) : rows.slice(offset, offset + opts.limit), totals, totalRows: rows.length };
}
