import { BadParameterError } from '@postwire/plugin-sdk';
import { parseJsonBody } from './body-parsers';

function refusedParam(text: string): string {
  try {
    parseJsonBody(text);
  } catch (error) {
    if (error instanceof BadParameterError) return error.param;
    throw error;
  }
  throw new Error(`${text} was accepted`);
}

describe('parseJsonBody (every route’s JSON body)', () => {
  it('keeps exact numbers and refuses the others naming them', () => {
    expect(parseJsonBody('{"a":{"b":[1,2.5]}}')).toEqual({ a: { b: [1, 2.5] } });
    expect(refusedParam('{"rates":[{"rate":12345678901.123456789}]}')).toBe('rates[0].rate');
  });

  it('refuses a key given twice, a prototype name as a key, an empty body and invalid JSON, each naming where', () => {
    expect(refusedParam('{"m":{"a":1,"\\u0061":1}}')).toBe('m.a');
    expect(refusedParam('{"x":{"__proto__":{"admin":true}}}')).toBe('x.__proto__');
    expect(refusedParam('{"constructor":{"prototype":{}}}')).toBe('constructor');
    expect(refusedParam('  ')).toBe('body');
    expect(refusedParam('{"a":')).toBe('body');
  });

  it('leaves text rules to the route: a line break in a value passes here', () => {
    expect(parseJsonBody('{"note":"a\\nb"}')).toEqual({ note: 'a\nb' });
  });
});
