import { checkInputTree } from './input-tree';

describe('checkInputTree', () => {
  it.each<[string, unknown, string, string]>([
    ['NUL deep in an object', { a: { b: ['x', 'y\u0000'] } }, 'a.b[1]', 'control_character'],
    ['CR/LF nested', { meta: { note: 'a\r\nb' } }, 'meta.note', 'control_character'],
    ['lone high surrogate', { a: '\ud800' }, 'a', 'invalid_utf8'],
    ['lone low surrogate in a key', { ['k\udc00']: 1 }, 'k\\udc00', 'invalid_utf8'],
    ['U+FFFD from broken bytes', { name: 'x\ufffd' }, 'name', 'invalid_utf8'],
    ['Infinity from 1e400', JSON.parse('{"o":{"payout":1e400}}'), 'o.payout', 'not_a_finite_number'],
    ['prototype key nested', { a: { constructor: { prototype: {} } } }, 'a.constructor', 'forbidden_key'],
    ['a string at the root', '\u0000', 'body', 'control_character'],
  ])('refuses %s', (_name, value, path, reason) => {
    expect(checkInputTree(value)).toEqual({ ok: false, path, reason });
  });

  it('applies lengths at every depth when asked', () => {
    expect(checkInputTree({ a: [{ b: 'x'.repeat(3000) }] }, { maxValueLength: 2048 })).toEqual({ ok: false, path: 'a[0].b', reason: 'value_too_long' });
    expect(checkInputTree({ a: { ['k'.repeat(65)]: 1 } }, { maxKeyLength: 64 })).toMatchObject({ ok: false, reason: 'key_too_long' });
    expect(checkInputTree({ a: [{ b: 'x'.repeat(3000) }] })).toEqual({ ok: true });
  });

  it('refuses nesting beyond the depth limit without recursion', () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(checkInputTree(deep)).toMatchObject({ ok: false, reason: 'too_deep' });
  });

  it('accepts ordinary input: tabs, emoji pairs, accents, numbers, booleans, null', () => {
    expect(checkInputTree({ name: 'Café 😀\tx', n: 1.5, b: true, z: null, list: ['a', { c: 'd' }] })).toEqual({ ok: true });
  });
});
