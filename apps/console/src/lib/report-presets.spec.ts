import { dayIn } from './format';
import { presetDays, REPORT_PRESETS } from './report-presets';

const daysAt = (instant: string, tz: string) => {
  const today = dayIn(new Date(instant), tz);
  return Object.fromEntries(REPORT_PRESETS.map((p) => [p.value, presetDays(p.value, today)]));
};

describe('report date presets', () => {
  it('are whole days of the operator’s zone: in Kathmandu (+05:45) 18:30 UTC on 31 March is already 1 April', () => {
    const p = daysAt('2026-03-31T18:30:00Z', 'Asia/Kathmandu');
    expect(p.today).toEqual(['2026-04-01', '2026-04-02']);
    expect(p.yesterday).toEqual(['2026-03-31', '2026-04-01']);
    expect(p.month).toEqual(['2026-04-01', '2026-04-02']);
    expect(p['last-month']).toEqual(['2026-03-01', '2026-04-01']);
    // The same instant in UTC is still 31 March.
    const utc = daysAt('2026-03-31T18:30:00Z', 'UTC');
    expect(utc.today).toEqual(['2026-03-31', '2026-04-01']);
    expect(utc['last-month']).toEqual(['2026-02-01', '2026-03-01']);
  });

  it('count last 7 and 30 days with today, across a year end and a leap day', () => {
    const p = daysAt('2028-03-02T12:00:00Z', 'UTC');
    expect(p['7d']).toEqual(['2028-02-25', '2028-03-03']);
    // Leap year: 2 February to 2 March is 30 days with the 29th.
    expect(p['30d']).toEqual(['2028-02-02', '2028-03-03']);
    const jan = daysAt('2027-01-03T12:00:00Z', 'UTC');
    expect(jan['last-month']).toEqual(['2026-12-01', '2027-01-01']);
    expect(jan['7d']).toEqual(['2026-12-28', '2027-01-04']);
  });

  it('name the day of a DST zone by its wall clock: New York 03:30 UTC on 8 March is the 7th', () => {
    const p = daysAt('2026-03-08T03:30:00Z', 'America/New_York');
    expect(p.today).toEqual(['2026-03-07', '2026-03-08']);
    expect(daysAt('2026-03-09T03:30:00Z', 'America/New_York').today).toEqual(['2026-03-08', '2026-03-09']);
  });
});
