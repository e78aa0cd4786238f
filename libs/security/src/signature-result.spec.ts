import { DEFAULT_TOLERANCE_SEC, isFreshTimestamp } from './signature-result';

const now = new Date(1_700_000_000_999);

describe('isFreshTimestamp', () => {
  it('accepts the window edges in both directions, using whole seconds', () => {
    expect(DEFAULT_TOLERANCE_SEC).toBe(300);
    expect(isFreshTimestamp('1700000000', now, 0)).toBe(true);
    expect(isFreshTimestamp('1700000300', now, 300)).toBe(true);
    expect(isFreshTimestamp('1699999700', now, 300)).toBe(true);
    expect(isFreshTimestamp('1700000301', now, 300)).toBe(false);
    expect(isFreshTimestamp('1699999699', now, 300)).toBe(false);
  });

  it('accepts only plain decimal digits', () => {
    for (const ts of ['', '1.7e9', '+1700000000', '-1', ' 1700000000', '0x6553f100', '17000000001234', '1700000000\n']) {
      expect([ts, isFreshTimestamp(ts, now, 1e12)]).toEqual([ts, false]);
    }
  });

  it('refuses a negative or NaN tolerance as a programming error', () => {
    expect(() => isFreshTimestamp('1700000000', now, -1)).toThrow(RangeError);
    expect(() => isFreshTimestamp('1700000000', now, Number.NaN)).toThrow(RangeError);
  });
});
