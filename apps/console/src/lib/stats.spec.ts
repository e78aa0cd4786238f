import { REPORT_COLUMN_DEFS, REPORT_COLUMNS } from '@postwire/core/report-columns';
import { METRICS } from './stats';

describe("the console's report columns", () => {
  it('are the columns of the server registry offered to the console, with their labels and kinds', () => {
    expect(METRICS.map((m) => m.key)).toEqual(REPORT_COLUMNS.filter((c) => REPORT_COLUMN_DEFS[c].console));
    expect(METRICS.find((m) => m.key === 'roi')).toEqual({ key: 'roi', label: 'ROI', kind: 'ratio', profit: true });
    expect(METRICS.find((m) => m.key === 'epc')).toEqual({ key: 'epc', label: 'EPC', kind: 'money' });
  });
});
