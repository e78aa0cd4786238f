import { coverRuns, labelBuckets, parseReportBound, periodRuns, zoneOffsetMs } from './time-buckets';

const at = (iso: string) => Date.parse(iso);

describe('report time', () => {
  it('reads offsets of quarter-hour zones', () => {
    expect(zoneOffsetMs(at('2026-06-01T00:00:00Z'), 'Asia/Kathmandu')).toBe((5 * 60 + 45) * 60_000);
    expect(zoneOffsetMs(at('2026-06-01T00:00:00Z'), 'Asia/Kolkata')).toBe((5 * 60 + 30) * 60_000);
  });

  it('starts a date at local midnight, in any zone', () => {
    expect(parseReportBound('2026-03-08', 'Asia/Kathmandu')).toEqual({ ok: true, ms: at('2026-03-07T18:15:00Z') });
    expect(parseReportBound('2026-03-08', 'America/New_York')).toEqual({ ok: true, ms: at('2026-03-08T05:00:00Z') });
    expect(parseReportBound('2026-03-09', 'America/New_York')).toEqual({ ok: true, ms: at('2026-03-09T04:00:00Z') });
    expect(parseReportBound('2026-03-08T06:00:00Z', 'Asia/Kathmandu')).toEqual({ ok: true, ms: at('2026-03-08T06:00:00Z') });
    expect(parseReportBound('2026-02-30', 'UTC').ok).toBe(false);
    expect(parseReportBound('yesterday', 'UTC').ok).toBe(false);
    expect(parseReportBound('0099-01-01', 'UTC').ok).toBe(false);
  });

  it('gives the spring-forward day 23 hours and the fall-back day 25, with the repeated hour told apart', () => {
    const spring = labelBuckets(at('2026-03-08T05:00:00Z'), at('2026-03-09T04:00:00Z'), 'America/New_York', 'hour');
    const springHours = new Set(spring.map((b) => b.label));
    expect(springHours.size).toBe(23);
    expect(springHours.has('2026-03-08T02:00-05:00')).toBe(false);
    expect(springHours.has('2026-03-08T03:00-04:00')).toBe(true);
    const fall = labelBuckets(at('2026-11-01T04:00:00Z'), at('2026-11-02T05:00:00Z'), 'America/New_York', 'hour');
    const fallHours = new Set(fall.map((b) => b.label));
    expect(fallHours.size).toBe(25);
    expect(fallHours).toContain('2026-11-01T01:00-04:00');
    expect(fallHours).toContain('2026-11-01T01:00-05:00');
    expect(new Set(labelBuckets(at('2026-11-01T04:00:00Z'), at('2026-11-02T05:00:00Z'), 'America/New_York', 'day').map((b) => b.label))).toEqual(
      new Set(['2026-11-01']),
    );
  });

  it('puts each bucket in the local day of +05:45 exactly', () => {
    const buckets = labelBuckets(at('2026-03-07T18:15:00Z'), at('2026-03-08T18:15:00Z'), 'Asia/Kathmandu', 'day');
    expect(buckets).toHaveLength(96);
    expect(new Set(buckets.map((b) => b.label))).toEqual(new Set(['2026-03-08']));
    const hours = labelBuckets(at('2026-03-07T18:15:00Z'), at('2026-03-07T19:15:00Z'), 'Asia/Kathmandu', 'hour');
    expect(hours.map((b) => b.label)).toEqual(Array(4).fill('2026-03-08T00:00+05:45'));
  });

  it('labels weeks by their Monday and months by year-month', () => {
    expect(labelBuckets(at('2026-03-08T12:00:00Z'), at('2026-03-08T12:15:00Z'), 'UTC', 'week')[0].label).toBe('2026-03-02');
    expect(labelBuckets(at('2026-03-31T23:45:00Z'), at('2026-04-01T00:15:00Z'), 'UTC', 'month').map((b) => b.label)).toEqual(['2026-03', '2026-04']);
  });

  describe('covering periods with coarse buckets', () => {
    const grains = (from: string, to: string, tz: string) =>
      coverRuns(periodRuns(at(from), at(to), tz, 'day')).map((c) => `${c.label}:${c.grain}@${c.bucket.toISOString().slice(11, 16)}`);

    it('reads a UTC day as one day bucket and the ragged ends as hours and quarters', () => {
      expect(grains('2026-06-01T22:45:00Z', '2026-06-03T01:15:00Z', 'UTC')).toEqual([
        '2026-06-01:900@22:45',
        '2026-06-01:3600@23:00',
        '2026-06-02:86400@00:00',
        '2026-06-03:3600@00:00',
        '2026-06-03:900@01:00',
      ]);
    });

    it('reads a +05:45 day as 3 quarters, 23 hours and 1 quarter', () => {
      const cover = grains('2026-06-01T18:15:00Z', '2026-06-02T18:15:00Z', 'Asia/Kathmandu');
      expect(cover.filter((c) => c.includes(':900@'))).toEqual([
        '2026-06-02:900@18:15',
        '2026-06-02:900@18:30',
        '2026-06-02:900@18:45',
        '2026-06-02:900@18:00',
      ]);
      expect(cover.filter((c) => c.includes(':3600@'))).toHaveLength(23);
    });

    it('covers every 15-minute bucket exactly once, with its own label, on DST days and odd offsets', () => {
      const cases: [string, string, string, 'hour' | 'day' | 'week' | 'month'][] = [
        ['2026-03-07T00:00:00Z', '2026-03-10T00:00:00Z', 'America/New_York', 'day'],
        ['2026-10-24T00:00:00Z', '2026-10-27T00:00:00Z', 'Europe/Berlin', 'hour'],
        ['2026-05-30T03:15:00Z', '2026-06-03T07:30:00Z', 'Asia/Kathmandu', 'day'],
        ['2026-05-30T03:15:00Z', '2026-07-03T07:30:00Z', 'Asia/Kolkata', 'month'],
        ['2026-05-30T03:15:00Z', '2026-07-03T07:30:00Z', 'UTC', 'week'],
      ];
      for (const [from, to, tz, unit] of cases) {
        const expanded = coverRuns(periodRuns(at(from), at(to), tz, unit)).flatMap((c) =>
          Array.from({ length: c.grain / 900 }, (_, k) => `${c.bucket.getTime() + k * 900_000} ${c.label}`),
        );
        const expected = labelBuckets(at(from), at(to), tz, unit).map((b) => `${b.bucket.getTime()} ${b.label}`);
        expect(expanded).toEqual(expected);
      }
    });

    it('is one run without a time dimension', () => {
      expect(periodRuns(at('2026-06-01T00:00:00Z'), at('2026-06-03T00:00:00Z'), 'Asia/Kathmandu', undefined)).toEqual([
        { start: new Date('2026-06-01T00:00:00Z'), end: new Date('2026-06-03T00:00:00Z'), label: '' },
      ]);
    });
  });
});
