import { EMPTY_SUMS, REPORT_COLUMN_DEFS, REPORT_COLUMNS, reportFigures, SUM_SQL } from '@postwire/core';
import { parseStatsQuery, statsQuerySchema } from './report-schemas';
import { statsReportView } from './report-views';

/**
 * One declaration per report column (libs/core/src/reports/report-columns.ts): every place that
 * lists columns takes them from it. A column added there shows up in each of these, or this fails
 * (the console's list: apps/console/src/lib/stats.spec.ts; the SQL against the exact math: reports.property.int-spec.ts).
 */
describe('the report column registry', () => {
  const sums = { ...EMPTY_SUMS, clicks: 4n, approved: 1n, pending: 1n, payout: 5_000_000n, cost: 2_000_000n };

  it('gives every column its exact figure, and the answer schema a field of its kind', () => {
    const figures = reportFigures(sums);
    expect(Object.keys(figures)).toEqual(REPORT_COLUMNS);
    const totals = statsReportView.shape.totals;
    expect(Object.keys(totals.shape).sort()).toEqual([...REPORT_COLUMNS].sort());
    expect(totals.parse(figures)).toEqual(figures);
    expect(figures).toMatchObject({ conversions: 2, profit: '3', roi: '1.5', cr: '0.5', epc: '1.25', cpa: '1' });
  });

  it('sorts in SQL over the summed columns only, and the request schema takes each column as a sort', () => {
    const names = new Set(Object.values(SUM_SQL).map((s) => s.sql));
    for (const column of REPORT_COLUMNS) {
      const identifiers = REPORT_COLUMN_DEFS[column].sql.replace(/\b(round|nullif|numeric)\b/g, '').match(/[a-z_]+/g) ?? [];
      expect([column, identifiers.filter((i) => !names.has(i))]).toEqual([column, []]);
      const q = parseStatsQuery({ from: '2026-03-01', to: '2026-03-02', groupBy: 'day', sort: `-${column}` });
      expect([column, 'path' in q ? q.path : 'ok']).toEqual([column, 'ok']);
      expect(statsQuerySchema.shape.sort.description).toContain(column);
    }
  });
});
