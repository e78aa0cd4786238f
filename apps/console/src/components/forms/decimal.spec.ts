import { readDecimal } from './decimal';

describe('readDecimal', () => {
  it.each([
    ['12.50', '12.50'],
    ['12,50', '12.50'],
    ['12,5', '12.5'],
    ['0,125', '0.125'],
    [' 7 ', '7'],
    ['1 234,50', '1234.50'],
    ['1\u00a0234,5', '1234.5'],
    ['12345,678', '12345.678'],
    ['', ''],
  ])('reads %j as %j', (typed, value) => {
    expect(readDecimal(typed)).toEqual({ ok: true, value });
  });

  it.each([
    ['1.234,5', /both a comma and a point/],
    ['1,234.5', /both a comma and a point/],
    ['1,234', /could be read two ways.*1234 or 1\.234/],
    ['1,2,3', /more than one decimal mark/],
    ['1.2.3', /more than one decimal mark/],
    ['12,', /must be a number/],
    ['abc', /must be a number/],
    ['12€', /must be a number/],
  ])('does not guess %j', (typed, reason) => {
    const reading = readDecimal(typed);
    expect(reading.ok).toBe(false);
    expect(!reading.ok && reading.reason).toMatch(reason);
  });
});
