import { CLOCK_SKEW_TOLERANCE_MS, DEFAULT_ATTRIBUTION_WINDOW_DAYS, isInsideWindow } from './window';

const DAY = 86_400_000;
const click = new Date('2024-03-01T12:00:00.000Z');
const at = (offsetMs: number) => new Date(click.getTime() + offsetMs);

describe('isInsideWindow', () => {
  it.each([
    ['at the click instant', 0, 30, true],
    ['one day later', DAY, 30, true],
    ['exactly on the last instant of the window', 30 * DAY, 30, true],
    ['one millisecond after the window', 30 * DAY + 1, 30, false],
    ['a year later', 365 * DAY, 30, false],
    ['zero-day window, same instant', 0, 0, true],
    ['zero-day window, 1 ms later', 1, 0, false],
    ['fractional window, inside', 12 * 3_600_000, 0.5, true],
    ['fractional window, outside', 12 * 3_600_000 + 1, 0.5, false],
    ['before the click within clock-skew tolerance', -CLOCK_SKEW_TOLERANCE_MS, 30, true],
    ['before the click beyond clock-skew tolerance', -CLOCK_SKEW_TOLERANCE_MS - 1, 30, false],
    ['a day before the click', -DAY, 30, false],
  ])('%s', (_name, offset, days, inside) => {
    expect(isInsideWindow(click, at(offset), days)).toBe(inside);
  });

  it('counts elapsed time, not calendar days, across a DST change', () => {
    // 2024-03-31 is the EU spring-forward day; 30 × 24 h later is still exactly inside.
    const before = new Date('2024-03-20T12:00:00.000Z');
    expect(isInsideWindow(before, new Date(before.getTime() + 30 * DAY), 30)).toBe(true);
    expect(isInsideWindow(before, new Date(before.getTime() + 30 * DAY + 1), 30)).toBe(false);
  });

  it('accepts a custom skew tolerance, including none', () => {
    expect(isInsideWindow(click, at(-1), 30, 0)).toBe(false);
    expect(isInsideWindow(click, at(-DAY), 30, DAY)).toBe(true);
  });

  it('defaults to 30 days per network', () => {
    expect(DEFAULT_ATTRIBUTION_WINDOW_DAYS).toBe(30);
  });

  it.each([
    ['negative window', click, at(0), -1, undefined],
    ['NaN window', click, at(0), Number.NaN, undefined],
    ['infinite window', click, at(0), Number.POSITIVE_INFINITY, undefined],
    ['invalid click date', new Date('nope'), at(0), 30, undefined],
    ['invalid received date', click, new Date('nope'), 30, undefined],
    ['negative skew tolerance', click, at(0), 30, -1],
  ])('throws on %s', (_name, clickAt, receivedAt, days, skew) => {
    expect(() => isInsideWindow(clickAt, receivedAt, days, skew)).toThrow(RangeError);
  });
});
