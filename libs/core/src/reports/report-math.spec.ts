import { assembleReport, parseSort } from './assemble-report';
import { toMicros } from '../money/decimal-amount';
import { EMPTY_SUMS, reportFigures, spreadCost } from './report-math';

describe('report arithmetic', () => {
  it('derives profit, roi, cr, epc and cpa from the sums', () => {
    const f = reportFigures({ ...EMPTY_SUMS, clicks: 3n, approved: 1n, pending: 1n, declined: 1n, payout: toMicros('10'), cost: toMicros('4') });
    expect(f).toMatchObject({ conversions: 2, payout: '10', cost: '4', profit: '6', roi: '1.5', cr: '0.666667', epc: '3.333333', cpa: '2' });
    expect(reportFigures(EMPTY_SUMS)).toMatchObject({ roi: null, cr: null, epc: null, cpa: null, profit: '0' });
  });

  it('spreads a cost over clicks so the parts sum to exactly the amount', () => {
    expect(spreadCost('100', 3)).toEqual({ perClick: '33.333333', remainder: '0.000001' });
    expect(spreadCost('0.000002', 5)).toEqual({ perClick: '0', remainder: '0.000002' });
    const { perClick, remainder } = spreadCost('1234.567891', 977);
    expect(toMicros(perClick) * 977n + toMicros(remainder)).toBe(toMicros('1234.567891'));
  });

  it('sorts by a figure exactly, ties by the group keys, and totals every group before paging', () => {
    const g = (campaign: string, payout: string) => ({ keys: { campaign }, names: {}, sums: { ...EMPTY_SUMS, clicks: 1n, payout: toMicros(payout) } });
    const sort = parseSort('-payout', ['campaign']);
    if (!sort.ok) throw new Error(sort.reason);
    const report = assembleReport([g('a', '9.5'), g('b', '10'), g('c', '10')], { groupBy: ['campaign'], sort: sort.keys, limit: 2 });
    expect(report.rows.map((r) => r.campaign)).toEqual(['b', 'c']);
    expect(report.totals.payout).toBe('29.5');
    expect(report.totalRows).toBe(3);
    expect(parseSort('nope', ['campaign']).ok).toBe(false);
  });
});
