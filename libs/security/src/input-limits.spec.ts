import fc from 'fast-check';
import { checkParams, safeLogValue } from './input-limits';

// Code-point checks rather than regexes: lint rightly flags control characters in regex literals.
const codes = (s: string) => Array.from(s, (ch) => ch.codePointAt(0) as number);
const isControl = (c: number) => c < 0x20 || (c >= 0x7f && c <= 0x9f);

describe('checkParams', () => {
  it('copies plain parameters into an object without prototype', () => {
    const result = checkParams({ click_id: 'abc', payout: '1.50', note: 'tab\tok', empty: '' });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect({ ...result.params }).toEqual({ click_id: 'abc', payout: '1.50', note: 'tab\tok', empty: '' });
    expect(Object.getPrototypeOf(result.params)).toBeNull();
  });

  it('refuses repeated parameters, naming them', () => {
    expect(checkParams({ a: '1', click_id: ['x', 'y'] })).toEqual({ ok: false, param: 'click_id', reason: 'repeated_param' });
  });

  it('refuses prototype-polluting keys', () => {
    for (const key of ['__proto__', 'constructor', 'prototype']) {
      const raw = JSON.parse(`{"${key}": "x"}`);
      expect(checkParams(raw)).toEqual({ ok: false, param: key, reason: 'forbidden_key' });
    }
  });

  it('enforces the count and length limits, defaults and overrides', () => {
    const many = Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`k${i}`, 'v']));
    expect(checkParams(many)).toEqual({ ok: false, param: 'k64', reason: 'too_many_params' });
    expect(checkParams(many, { maxKeys: 100 }).ok).toBe(true);
    expect(checkParams({ [`${'k'.repeat(64)}`]: 'v' }).ok).toBe(true);
    expect(checkParams({ [`${'k'.repeat(65)}`]: 'v' })).toMatchObject({ ok: false, reason: 'key_too_long' });
    expect(checkParams({ a: 'v'.repeat(2048) }).ok).toBe(true);
    expect(checkParams({ a: 'v'.repeat(2049) })).toEqual({ ok: false, param: 'a', reason: 'value_too_long' });
    expect(checkParams({ a: 'v'.repeat(11) }, { maxValueLength: 10 })).toEqual({ ok: false, param: 'a', reason: 'value_too_long' });
    expect(checkParams({ abc: 'v' }, { maxKeyLength: 2 })).toEqual({ ok: false, param: 'abc', reason: 'key_too_long' });
  });

  it('refuses control characters other than tab, in keys and values', () => {
    for (const bad of ['\n', '\r', '\0', '\x1b[31m', '\x7f', '\x85']) {
      expect(checkParams({ a: `x${bad}y` })).toEqual({ ok: false, param: 'a', reason: 'control_character' });
      expect(checkParams({ [`k${bad}`]: 'v' })).toMatchObject({ ok: false, reason: 'control_character' });
    }
  });

  it('lets CR and LF through in values only when allowLineBreaks is set, never in keys', () => {
    const value = 'Musterstr. 1\r\nHinterhaus';
    expect(checkParams({ a: value }, { allowLineBreaks: true })).toEqual({ ok: true, params: { a: value } });
    expect(checkParams({ 'k\n': 'v' }, { allowLineBreaks: true })).toMatchObject({ ok: false, reason: 'control_character' });
    for (const bad of ['\0', '\x1b[31m', '\x7f', '\x85']) {
      expect(checkParams({ a: `x\n${bad}` }, { allowLineBreaks: true })).toEqual({ ok: false, param: 'a', reason: 'control_character' });
    }
  });

  it('refuses broken encodings: U+FFFD and unpaired surrogates', () => {
    expect(checkParams({ a: 'caf\uFFFD' })).toEqual({ ok: false, param: 'a', reason: 'invalid_utf8' });
    expect(checkParams({ a: 'x\uD800' })).toEqual({ ok: false, param: 'a', reason: 'invalid_utf8' });
    expect(checkParams({ a: '\uDC00x' })).toEqual({ ok: false, param: 'a', reason: 'invalid_utf8' });
    expect(checkParams({ a: 'Zürich 😀' }).ok).toBe(true);
  });

  it('converts JSON numbers and booleans, skips null, refuses objects', () => {
    const result = checkParams({ payout: 1.5, test: true, gone: null, missing: undefined });
    expect(result.ok && { ...result.params }).toEqual({ payout: '1.5', test: 'true' });
    expect(checkParams({ a: { b: 1 } })).toEqual({ ok: false, param: 'a', reason: 'not_a_string' });
    expect(checkParams({ a: Number.NaN })).toEqual({ ok: false, param: 'a', reason: 'not_a_string' });
  });

  it('returns a refused parameter name that is safe to log', () => {
    const result = checkParams({ [`evil\nname`]: ['1', '2'] });
    expect(result).toEqual({ ok: false, param: 'evil\\nname', reason: 'control_character' });
    const long = checkParams({ ['k'.repeat(500)]: 'v' });
    expect(!long.ok && long.param.length).toBeLessThan(100);
  });

  it('never returns a value breaking the rules (property)', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string({ unit: 'binary', maxLength: 70 }), fc.string({ unit: 'binary', maxLength: 2100 }), { maxKeys: 70 }), (raw) => {
        const result = checkParams(raw);
        if (!result.ok) return true;
        return Object.entries(result.params).every(
          ([k, v]) => k.length <= 64 && v.length <= 2048 && k !== '__proto__' && codes(k + v).every((c) => c === 0x09 || (!isControl(c) && c !== 0xfffd)),
        );
      }),
    );
  });
});

describe('safeLogValue', () => {
  it('leaves ordinary text alone', () => {
    expect(safeLogValue('click abc123 Zürich 😀')).toBe('click abc123 Zürich 😀');
  });

  it('escapes control characters so they cannot forge log lines or drive a terminal', () => {
    expect(safeLogValue('a\nINFO fake line\r\tb')).toBe('a\\nINFO fake line\\r\\tb');
    expect(safeLogValue('\x1b[31mred\x00\x7f\x85')).toBe('\\x1b[31mred\\x00\\x7f\\x85');
    expect(safeLogValue('a\u2028b\u202Ec\uFEFF')).toBe('a\\u2028b\\u202ec\\ufeff');
    expect(safeLogValue('x\uD800y\uDC00')).toBe('x\\ud800y\\udc00');
  });

  it('doubles backslashes so escapes are unambiguous', () => {
    expect(safeLogValue('a\\nb')).toBe('a\\\\nb');
    expect(safeLogValue('a\\nb')).not.toBe(safeLogValue('a\nb'));
  });

  it('truncates long values without splitting a surrogate pair', () => {
    expect(safeLogValue('x'.repeat(300))).toBe(`${'x'.repeat(256)}…(+44 chars)`);
    expect(safeLogValue('ab😀', 3)).toBe('ab…(+2 chars)');
    expect(safeLogValue('ab😀', 4)).toBe('ab😀');
  });

  it('stringifies non-strings', () => {
    expect(safeLogValue(42)).toBe('42');
    expect(safeLogValue(undefined)).toBe('undefined');
  });

  it('output never contains a raw control character (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const out = safeLogValue(s, 10_000);
        return codes(out).every((c) => !isControl(c) && c !== 0x2028 && c !== 0x2029);
      }),
    );
  });
});
