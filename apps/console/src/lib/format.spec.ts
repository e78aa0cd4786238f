import { sumDecimals } from '@postwire/core/money';
import { addDays, allTimeZones, dayIn, formatDateTime, formatMoney, formatPercent } from './format';
import { dailySeries, groupKey } from './stats';

describe('console formats', () => {
  it("shows money to its currency's minor units, rounded half away from zero, never through a float", () => {
    expect(formatMoney('1234567.5', 'EUR')).toBe('1,234,567.50 EUR');
    expect(formatMoney('0.1')).toBe('0.10 USD');
    expect(formatMoney('94.301', 'USD')).toBe('94.30 USD');
    expect(formatMoney('2.134627', 'USD')).toBe('2.13 USD');
    expect(formatMoney('-2.125000', 'USD')).toBe('-2.13 USD');
    expect(formatMoney('-0.004', 'USD')).toBe('0.00 USD');
    expect(formatMoney('1234.5', 'JPY')).toBe('1,235 JPY');
    expect(formatMoney('1.2345', 'BHD')).toBe('1.235 BHD');
    expect(formatMoney('9007199254740993.015')).toBe('9,007,199,254,740,993.02 USD');
    expect(formatMoney(null)).toBe('—');
  });

  it('offers every IANA zone, Asia/Kolkata included, UTC first', () => {
    const zones = allTimeZones();
    expect(zones[0]).toBe('UTC');
    expect(zones).toContain('Asia/Kolkata');
    expect(zones).toContain('Asia/Kathmandu');
    expect(zones).toContain('America/New_York');
    expect(zones.length).toBeGreaterThan(300);
    expect(allTimeZones('Etc/GMT+5')).toContain('Etc/GMT+5');
  });

  it('sums decimal strings exactly', () => {
    expect(sumDecimals(['0.1', '0.2'])).toBe('0.3');
    expect(sumDecimals(['2.50', '-1.25', null, '', '3'])).toBe('4.25');
    expect(sumDecimals([])).toBe('0');
  });

  it("names days and times in the user's zone", () => {
    const instant = new Date('2026-03-29T00:30:00Z');
    expect(dayIn(instant, 'UTC')).toBe('2026-03-29');
    expect(dayIn(instant, 'America/New_York')).toBe('2026-03-28');
    expect(formatDateTime(instant, 'Asia/Kathmandu')).toContain('06:15:00');
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(formatPercent('0.125')).toBe('12.50 %');
  });

  it('fills a daily chart series with zero days over the whole range', () => {
    const series = dailySeries([{ day: '2026-03-02', clicks: 5, conversions: 1 }], '2026-03-01', '2026-03-04');
    expect(series.clicks).toEqual([0, 5, 0]);
    expect(series.conversions).toEqual([0, 1, 0]);
    expect(series.x[1] - series.x[0]).toBe(86_400);
    expect(groupKey({ campaign: 'c1', campaignName: 'Summer' }, 'campaign')).toEqual({ value: 'c1', label: 'Summer' });
  });
});
