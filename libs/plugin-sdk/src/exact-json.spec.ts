import fc from 'fast-check';
import { BadParameterError } from './adapter-errors';
import { parseJsonExact } from './exact-json';
import { parseRequestBody } from './request-body';

function refusal(text: string): { param: string; message: string } {
  try {
    parseJsonExact(text);
  } catch (error) {
    if (error instanceof BadParameterError) return { param: error.param, message: error.message };
    throw error;
  }
  throw new Error(`${text} was accepted`);
}

describe('parseJsonExact', () => {
  it('keeps a number a double holds exactly, as a number', () => {
    expect(parseJsonExact('{"a":12.50,"b":0.1,"c":-7,"d":9007199254740991,"e":[0,1.25]}')).toEqual({
      a: 12.5,
      b: 0.1,
      c: -7,
      d: 9007199254740991,
      e: [0, 1.25],
    });
  });

  it('refuses an integer beyond 2^53 naming its path and saying to send it as a string, where JSON.parse would round it', () => {
    expect(JSON.parse('{"txid":9007199254740993}')).toEqual({ txid: 9007199254740992 });
    const refused = refusal('{"txid":9007199254740993}');
    expect(refused.param).toBe('txid');
    expect(refused.message).toContain('send it as a string');
    expect(refusal('{"m":{"n":[1,9007199254740992]}}').param).toBe('m.n[1]');
  });

  it('refuses a long payout a double would round, naming it', () => {
    expect(refusal('{"click_id":"x","payout":12345678901.123456789}')).toMatchObject({
      param: 'payout',
      message: expect.stringContaining('send it as a string'),
    });
  });

  it('refuses exponent notation, as decimal strings are refused with one: 1E2 and "1e3" get the same answer', () => {
    expect(refusal('{"payout":1E2}')).toMatchObject({ param: 'payout', message: expect.stringContaining('exponent') });
    expect(refusal('{"payout":1e400}').param).toBe('payout');
    expect(refusal('1e-7').param).toBe('body');
  });

  it('keeps the exact text of a number sent as a string', () => {
    expect(parseJsonExact('{"txid":"9007199254740993","payout":"12345678901.123456789"}')).toEqual({
      txid: '9007199254740993',
      payout: '12345678901.123456789',
    });
  });

  it('refuses invalid JSON and very deep nesting as body, without throwing anything else', () => {
    expect(refusal('{"a":').param).toBe('body');
    expect(refusal('[1,]').param).toBe('body');
    expect(refusal('['.repeat(100_000) + ']'.repeat(100_000)).param).toBe('body');
  });

  it('keeps __proto__ as an own key, as JSON.parse does, so the input checks can see it', () => {
    const value = parseJsonExact('{"__proto__":{"x":1}}') as Record<string, unknown>;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.keys(value)).toEqual(['__proto__']);
  });

  it('reads any JSON.stringify output as JSON.parse does when it holds no refused number', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = JSON.stringify(value);
        let exact: unknown;
        try {
          exact = parseJsonExact(text);
        } catch (error) {
          // Only numbers are ever refused: the value must hold one that is unsafe or printed with an exponent.
          expect(error).toBeInstanceOf(BadParameterError);
          expect(text).toMatch(/\d[eE]|\d{16,}/);
          return;
        }
        expect(exact).toEqual(JSON.parse(text));
      }),
      { numRuns: 500 },
    );
  });
});

describe('parseRequestBody on JSON (the adapters’ reading)', () => {
  it('refuses an inexact number naming it, and keeps a string txid exactly', () => {
    expect(() => parseRequestBody('application/json', Buffer.from('{"txid":9007199254740993}'))).toThrow(/txid: .*send it as a string/);
    expect(parseRequestBody('application/json', Buffer.from('{"txid":"9007199254740993"}'))).toEqual({ txid: '9007199254740993' });
  });
});
