import { checkParams } from '@postwire/security';
import { strictQuerystring } from './querystring';

describe('strictQuerystring', () => {
  it('decodes like a browser form: + and %20 are spaces, repeats become arrays', () => {
    expect({ ...strictQuerystring('a=1+2&b=%C3%BCber&a=3&c') }).toEqual({ a: ['1 2', '3'], b: 'über', c: '' });
  });

  it('turns bytes that are not UTF-8 into U+FFFD, so the parameter checks refuse them by name', () => {
    for (const raw of ['goal=%C3%28', 'goal=%FF', 'goal=%ED%A0%80', 'goal=%E0%A4']) {
      const parsed = strictQuerystring(raw);
      expect(parsed.goal).toContain('\ufffd');
      expect(checkParams(parsed)).toEqual({ ok: false, param: 'goal', reason: 'invalid_utf8' });
    }
  });

  it('keeps __proto__ an ordinary key of a prototype-less object', () => {
    const parsed = strictQuerystring('__proto__=x&constructor=y');
    expect(Object.getPrototypeOf(parsed)).toBeNull();
    expect(Object.keys(parsed)).toEqual(['__proto__', 'constructor']);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });
});
