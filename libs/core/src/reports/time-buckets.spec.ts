import { labelBuckets, parseReportBound, zoneOffsetMs } from './time-buckets';

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
    expect(new Set(labelBuckets(at('2026-11-01T04:00:00Z'), at('2026-11-02T05:00:00Z'), 'America/New_York', 'day').map((b) => b.label))).toEqual(new Set(['2026-11-01']));
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
});
