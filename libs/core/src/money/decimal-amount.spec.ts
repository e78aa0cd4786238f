import fc from 'fast-check';
import { compareAmounts, fromMicros, parseAmount, percentOf, ratio, sumDecimals, toMicros } from './decimal-amount';

describe('parseAmount', () => {
  it.each([
    ['10', '10'],
    ['10.00', '10'],
    ['0010.50', '10.5'],
    ['0', '0'],
    ['0.000001', '0.000001'],
    [' 7.25 ', '7.25'],
  ])('accepts %p as %p', (raw, value) => {
    expect(parseAmount(raw)).toEqual({ ok: true, value });
  });

  it.each(['abc', 'NaN', '1e999', '1e3', '-5', '0x10', 'Infinity', '1,5', '', '.5', '5.', '1.0000001', '1234567890123'])('refuses %p', (raw) => {
    expect(parseAmount(raw).ok).toBe(false);
  });
});

describe('percentOf / compareAmounts', () => {
  it('computes shares exactly', () => {
    expect(percentOf('10', '50')).toBe('5');
    expect(percentOf('0.1', '33.333333')).toBe('0.033333');
    expect(percentOf('19.99', '70')).toBe('13.993');
  });

  it('compares without floats', () => {
    expect(compareAmounts('0.3', '0.30')).toBe(0);
    expect(compareAmounts('0.1', '0.2')).toBeLessThan(0);
    expect(compareAmounts('100', '99.999999')).toBeGreaterThan(0);
  });
});

describe('millionths', () => {
  it('reads and writes exact decimals, rounding half away from zero at six places', () => {
    expect(toMicros('1.0000005')).toBe(1_000_001n);
    expect(toMicros('1.00000049999')).toBe(1_000_000n);
    expect(toMicros('-2.5')).toBe(-2_500_000n);
    expect(toMicros('-1.0000005')).toBe(-1_000_001n);
    expect(fromMicros(-2_500_000n)).toBe('-2.5');
    expect(fromMicros(0n)).toBe('0');
    expect(ratio(1n, 3n)).toBe('0.333333');
    expect(ratio(2n, 3n)).toBe('0.666667');
    expect(ratio(-2n, 3n)).toBe('-0.666667');
    expect(ratio(1n, 0n)).toBeNull();
    expect(() => toMicros('1e3')).toThrow('not a decimal');
  });

  it('writes back exactly what it read, for any amount of at most six fraction digits', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 18n), max: 10n ** 18n }), (micros) => {
        expect(toMicros(fromMicros(micros))).toBe(micros);
      }),
    );
  });
});

describe('sumDecimals (the console totals row)', () => {
  it('sums decimal strings exactly; missing and odd cells count as 0', () => {
    expect(sumDecimals(['0.1', '0.2'])).toBe('0.3');
    expect(sumDecimals(['2.50', '-1.25', null, '', undefined, '3'])).toBe('4.25');
    expect(sumDecimals(['1', 'n/a', '1e3'])).toBe('1');
    expect(sumDecimals([])).toBe('0');
  });

  // The console used to sum at eight fraction digits, truncating; the one codec rounds at six. Every
  // figure the API sends has at most six, and for those the two agree to the digit.
  it('agrees with an exact sum for every list of figures the API can send', () => {
    const figure = fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n });
    fc.assert(
      fc.property(fc.array(figure, { maxLength: 20 }), (micros) => {
        const exact = micros.reduce((a, b) => a + b, 0n);
        expect(sumDecimals(micros.map(fromMicros))).toBe(fromMicros(exact));
      }),
    );
  });
});
