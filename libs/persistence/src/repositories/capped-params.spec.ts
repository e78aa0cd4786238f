import { capParams, TRUNCATED_KEY } from './capped-params';

const bytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value), 'utf8');

describe('capParams', () => {
  it('keeps parameters within the budget as they are', () => {
    const params = { click_id: 'abc', payout: '1.5', note: 'Zürich' };
    expect(capParams(params, 2048)).toBe(params);
  });

  it('keeps whole parameters in order while they fit and notes what was left out', () => {
    const params: Record<string, string> = { click_id: 'abc' };
    for (let i = 0; i < 100; i++) params[`p${i}`] = 'x'.repeat(50);
    const capped = capParams(params, 1024);
    expect(bytes(capped)).toBeLessThanOrEqual(1024);
    const keys = Object.keys(capped);
    expect(keys[0]).toBe('click_id');
    expect(keys.slice(1, -1)).toEqual(Object.keys(params).slice(1, keys.length - 1));
    expect(capped[TRUNCATED_KEY]).toBe(`${101 - (keys.length - 1)} of 101 parameters left out`);
  });

  it('counts bytes, not characters, and drops a single oversized value', () => {
    const capped = capParams({ click_id: 'abc', big: '€'.repeat(1000) }, 1024);
    expect(capped).toEqual({ click_id: 'abc', [TRUNCATED_KEY]: '1 of 2 parameters left out' });
    expect(bytes(capParams({ s: '😀'.repeat(600) }, 256))).toBeLessThanOrEqual(256);
  });
});
