import { REPORT_COLUMN_DEFS, REPORT_COLUMNS } from '@postwire/core/report-columns';
import { dailySeries, hourlySeries, METRICS } from './stats';

describe("the console's report columns", () => {
  it('are the columns of the server registry offered to the console, with their labels and kinds', () => {
    expect(METRICS.map((m) => m.key)).toEqual(REPORT_COLUMNS.filter((c) => REPORT_COLUMN_DEFS[c].console));
    expect(METRICS.find((m) => m.key === 'roi')).toEqual({ key: 'roi', label: 'ROI', kind: 'ratio', profit: true });
    expect(METRICS.find((m) => m.key === 'epc')).toEqual({ key: 'epc', label: 'EPC', kind: 'money' });
  });
});

describe('the report chart series', () => {
  it('puts each hour of a +05:45 day at its instant, hours without traffic as 0', () => {
    const from = Date.parse('2026-03-07T18:15:00Z') / 1000; // 2026-03-08 00:00 in Kathmandu
    const series = hourlySeries([{ hour: '2026-03-08T05:00+05:45', clicks: 3, conversions: 1 }], from, from + 24 * 3600);
    expect(series.x).toHaveLength(24);
    expect(series.x[0]).toBe(from);
    expect(series.clicks[5]).toBe(3);
    expect(series.clicks.reduce((a, b) => a + b, 0)).toBe(3);
  });

  it('starts each day at its midnight in the zone', () => {
    const series = dailySeries([{ day: '2026-03-09', clicks: 2, conversions: 0 }], '2026-03-08', '2026-03-10', 'America/New_York');
    expect(series.x).toEqual([Date.parse('2026-03-08T05:00:00Z') / 1000, Date.parse('2026-03-09T04:00:00Z') / 1000]);
    expect(series.clicks).toEqual([0, 2]);
  });
});
