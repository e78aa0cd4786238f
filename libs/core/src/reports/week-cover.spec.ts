import { coverRuns, periodRuns } from './time-buckets';
import { mergeWholeWeeks, WEEK_GRAIN, weekStartMs } from './week-cover';

const at = (iso: string) => new Date(iso).getTime();
const seconds = (buckets: { grain: number }[]) => buckets.reduce((s, b) => s + b.grain, 0);

describe('weekStartMs', () => {
  it('is the Monday 00:00 UTC of the ISO week', () => {
    expect(new Date(weekStartMs(at('2026-12-07T00:00:00Z'))).toISOString()).toBe('2026-12-07T00:00:00.000Z'); // a Monday
    expect(new Date(weekStartMs(at('2026-12-13T23:59:59Z'))).toISOString()).toBe('2026-12-07T00:00:00.000Z'); // its Sunday
    expect(new Date(weekStartMs(at('1970-01-01T00:00:00Z'))).toISOString()).toBe('1969-12-29T00:00:00.000Z');
  });
});

describe('mergeWholeWeeks', () => {
  it('turns whole ISO weeks of one label into week buckets and keeps the rest', () => {
    // Wednesday 2026-11-04 10:00 to Saturday 2026-11-28 06:00, no time dimension: weeks of 9, 16 Nov whole.
    const cover = coverRuns(periodRuns(at('2026-11-04T10:00:00Z'), at('2026-11-28T06:00:00Z'), 'UTC', undefined));
    const merged = mergeWholeWeeks(cover);
    const weeks = merged.filter((b) => b.grain === WEEK_GRAIN).map((b) => b.bucket.toISOString());
    expect(weeks.sort()).toEqual(['2026-11-09T00:00:00.000Z', '2026-11-16T00:00:00.000Z']);
    expect(seconds(merged)).toBe(seconds(cover));
    expect(merged.filter((b) => b.grain === 86_400)).toHaveLength(cover.filter((b) => b.grain === 86_400).length - 14);
  });

  it('does not merge days of different labels (a report by day) nor a week cut by the range', () => {
    const byDay = coverRuns(periodRuns(at('2026-11-02T00:00:00Z'), at('2026-11-16T00:00:00Z'), 'UTC', 'day'));
    expect(mergeWholeWeeks(byDay).some((b) => b.grain === WEEK_GRAIN)).toBe(false);
    const cut = coverRuns(periodRuns(at('2026-11-02T00:00:00Z'), at('2026-11-08T23:00:00Z'), 'UTC', undefined));
    expect(mergeWholeWeeks(cut).some((b) => b.grain === WEEK_GRAIN)).toBe(false);
  });

  it('merges the whole UTC weeks inside a +05:45 range', () => {
    const cover = coverRuns(periodRuns(at('2026-10-31T18:15:00Z'), at('2026-11-30T18:15:00Z'), 'Asia/Kathmandu', undefined));
    const merged = mergeWholeWeeks(cover);
    expect(merged.filter((b) => b.grain === WEEK_GRAIN)).toHaveLength(4);
    expect(seconds(merged)).toBe(seconds(cover));
  });
});
