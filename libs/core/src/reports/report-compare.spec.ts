import { figureChange } from './report-columns';
import { previousPeriod, previousPeriodLabels } from './report-compare';
import { parseReportBound } from './time-buckets';

const bound = (text: string, tz: string) => {
  const b = parseReportBound(text, tz);
  if (!b.ok) throw new Error(b.reason);
  return b.ms;
};
const iso = (ms: number) => new Date(ms).toISOString();

describe('the previous period', () => {
  it('is the same number of days just before, at local midnights of a +05:45 zone', () => {
    const tz = 'Asia/Kathmandu';
    const prev = previousPeriod(bound('2026-03-08', tz), bound('2026-03-15', tz), tz);
    expect(iso(prev.fromMs)).toBe('2026-02-28T18:15:00.000Z'); // 2026-03-01 00:00 +05:45
    expect(iso(prev.toMs)).toBe('2026-03-07T18:15:00.000Z'); // 2026-03-08 00:00 +05:45
  });

  it('keeps days as days across a DST change: the 23-hour spring day is compared with the 24-hour day before', () => {
    const tz = 'America/New_York';
    const prev = previousPeriod(bound('2026-03-08', tz), bound('2026-03-09', tz), tz);
    expect(iso(prev.fromMs)).toBe('2026-03-07T05:00:00.000Z');
    expect(iso(prev.toMs)).toBe('2026-03-08T05:00:00.000Z');
    // The day after the autumn change (25 hours long) compared with that day itself.
    const after = previousPeriod(bound('2026-11-02', tz), bound('2026-11-03', tz), tz);
    expect(iso(after.fromMs)).toBe('2026-11-01T04:00:00.000Z');
    expect(after.toMs - after.fromMs).toBe(25 * 3_600_000);
  });

  it('is a month of the same number of days, not the calendar month before', () => {
    const prev = previousPeriod(bound('2026-03-01', 'UTC'), bound('2026-04-01', 'UTC'), 'UTC');
    expect(iso(prev.fromMs)).toBe('2026-01-29T00:00:00.000Z');
    expect(iso(prev.toMs)).toBe('2026-03-01T00:00:00.000Z');
  });

  it('takes ranges of hours hour for hour, on quarter hours', () => {
    const tz = 'Asia/Kathmandu';
    const prev = previousPeriod(bound('2026-03-08T06:00', tz), bound('2026-03-08T09:15', tz), tz);
    expect(iso(prev.fromMs)).toBe('2026-03-07T21:00:00.000Z'); // 02:45 local
    expect(iso(prev.toMs)).toBe('2026-03-08T00:15:00.000Z');
    expect(prev.fromMs % (15 * 60_000)).toBe(0);
  });

  it('pairs each period with the one at the same place in the previous range', () => {
    const tz = 'Asia/Kathmandu';
    const from = bound('2026-03-08', tz);
    const to = bound('2026-03-10', tz);
    const prev = previousPeriod(from, to, tz);
    const map = previousPeriodLabels(from, to, prev.fromMs, prev.toMs, tz, 'day');
    expect([...map]).toEqual([
      ['2026-03-08', '2026-03-06'],
      ['2026-03-09', '2026-03-07'],
    ]);
  });

  it('leaves the 25th hour of an autumn day without a counterpart', () => {
    const tz = 'America/New_York';
    const from = bound('2026-11-01', tz);
    const to = bound('2026-11-02', tz);
    const prev = previousPeriod(from, to, tz);
    const map = previousPeriodLabels(from, to, prev.fromMs, prev.toMs, tz, 'hour');
    expect(map.size).toBe(24);
    expect(map.get('2026-11-01T00:00-04:00')).toBe('2026-10-31T00:00-04:00');
    expect(map.has('2026-11-01T23:00-05:00')).toBe(false);
  });
});

describe('a figure’s change', () => {
  it('is the exact difference and the change relative to the previous figure', () => {
    expect(figureChange(15, 10)).toEqual({ delta: '5', change: '0.5' });
    expect(figureChange('2.5', '3')).toEqual({ delta: '-0.5', change: '-0.166667' });
    expect(figureChange('-4', '-8')).toEqual({ delta: '4', change: '0.5' });
  });

  it('has no relative change from zero, and none at all without a figure', () => {
    expect(figureChange(3, 0)).toEqual({ delta: '3', change: null });
    expect(figureChange(null, '0.2')).toEqual({ delta: null, change: null });
    expect(figureChange('0.2', null)).toEqual({ delta: null, change: null });
  });
});
