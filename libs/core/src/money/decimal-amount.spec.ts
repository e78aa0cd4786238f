import { compareAmounts, parseAmount, percentOf } from './decimal-amount';

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
