import { decimalInput, zonedLocalToUtc } from './zoned-time';

describe('zonedLocalToUtc', () => {
  it('reads a wall-clock time in the operator zone', () => {
    expect(zonedLocalToUtc('2026-03-01T00:00', 'UTC').toISOString()).toBe('2026-03-01T00:00:00.000Z');
    expect(zonedLocalToUtc('2026-03-01T09:00', 'Asia/Tokyo').toISOString()).toBe('2026-03-01T00:00:00.000Z');
    expect(zonedLocalToUtc('2026-07-01T02:00', 'Europe/Berlin').toISOString()).toBe('2026-07-01T00:00:00.000Z');
    expect(zonedLocalToUtc('2026-01-01T01:00', 'Europe/Berlin').toISOString()).toBe('2026-01-01T00:00:00.000Z');
  });
});

describe('decimalInput', () => {
  it('takes a decimal comma, and leaves anything ambiguous as typed', () => {
    expect(decimalInput(' 12,5 ')).toBe('12.5');
    expect(decimalInput('12.5')).toBe('12.5');
    expect(decimalInput('1,234.5')).toBe('1,234.5');
  });
});
