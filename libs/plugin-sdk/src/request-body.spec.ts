import fc from 'fast-check';
import { AdapterError, BadParameterError } from './adapter-errors';
import { buildAdapterRequest, MAX_JSON_DEPTH, mediaTypeOf, parseRequestBody } from './request-body';

const FORM = 'application/x-www-form-urlencoded';
const JSON_TYPE = 'application/json';
const buf = (text: string) => Buffer.from(text, 'utf8');

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('mediaTypeOf', () => {
  it.each([
    ['application/json', 'application/json'],
    ['Application/JSON; charset=UTF-8', 'application/json'],
    ['  application/x-www-form-urlencoded ;charset=utf-8', 'application/x-www-form-urlencoded'],
    ['', undefined],
    [' ; charset=utf-8', undefined],
    [undefined, undefined],
  ])('%p → %p', (raw, type) => {
    expect(mediaTypeOf(raw)).toBe(type);
  });
});

describe('parseRequestBody: forms', () => {
  it('decodes fields, plus signs and percent-escapes', () => {
    expect(parseRequestBody(FORM, buf('click_id=abc&payout=1.50&note=two+words%20and%E2%82%AC'))).toEqual({
      click_id: 'abc',
      payout: '1.50',
      note: 'two words and€',
    });
  });

  it('accepts the content type with parameters and any case', () => {
    expect(parseRequestBody('Application/X-WWW-Form-Urlencoded; charset=utf-8', buf('a=1'))).toEqual({ a: '1' });
  });

  it('keeps empty values, reads a bare name as empty and skips empty segments', () => {
    expect(parseRequestBody(FORM, buf('a=&b&&c=3&'))).toEqual({ a: '', b: '', c: '3' });
  });

  it('splits at the first equals sign only', () => {
    expect(parseRequestBody(FORM, buf('sig=abc==&x=a=b'))).toEqual({ sig: 'abc==', x: 'a=b' });
  });

  it('refuses a repeated field, naming it', () => {
    const error = thrown(() => parseRequestBody(FORM, buf('click_id=a&payout=1&click_id=b')));
    expect(error).toBeInstanceOf(BadParameterError);
    expect((error as BadParameterError).param).toBe('click_id');
  });

  it('refuses a field repeated through different encodings of its name', () => {
    const error = thrown(() => parseRequestBody(FORM, buf('a%62=1&ab=2')));
    expect((error as BadParameterError).param).toBe('ab');
  });

  it('drops __proto__, constructor and prototype without touching any prototype', () => {
    const body = parseRequestBody(FORM, buf('__proto__=x&constructor=y&prototype=z&__proto__%5Bpolluted%5D=1&ok=1')) as Record<string, string>;
    expect(Object.keys(body).sort()).toEqual(['__proto__[polluted]', 'ok']);
    expect(Object.getPrototypeOf(body)).toBeNull();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype.hasOwnProperty.call(body, '__proto__')).toBe(false);
  });

  it('does not count a dropped name as a repeat', () => {
    expect(parseRequestBody(FORM, buf('__proto__=1&__proto__=2&a=1'))).toEqual({ a: '1' });
  });

  it.each(['a=%', 'a=%zz', 'a=%C3', '%E0%A4%A=1', 'a=%FF'])('refuses malformed percent-encoding %p', (text) => {
    const error = thrown(() => parseRequestBody(FORM, buf(text)));
    expect(error).toBeInstanceOf(BadParameterError);
    expect((error as BadParameterError).param).toBe('body');
  });

  it('refuses bytes that are not UTF-8', () => {
    const error = thrown(() => parseRequestBody(FORM, Buffer.from([0x61, 0x3d, 0xff, 0xfe])));
    expect((error as BadParameterError).param).toBe('body');
  });

  it('shortens absurdly long names in the error', () => {
    const name = 'k'.repeat(10_000);
    const error = thrown(() => parseRequestBody(FORM, buf(`${name}=1&${name}=2`))) as BadParameterError;
    expect(error.param.length).toBeLessThan(100);
  });
});

describe('parseRequestBody: JSON', () => {
  it('parses objects, arrays and scalars', () => {
    expect(parseRequestBody(JSON_TYPE, buf('{"a":1,"b":[1,{"c":null}],"d":"x"}'))).toEqual({ a: 1, b: [1, { c: null }], d: 'x' });
    expect(parseRequestBody(JSON_TYPE, buf('[1,2]'))).toEqual([1, 2]);
    expect(parseRequestBody(JSON_TYPE, buf('"text"'))).toBe('text');
    expect(parseRequestBody(JSON_TYPE, buf('0'))).toBe(0);
    expect(parseRequestBody(JSON_TYPE, buf('null'))).toBeNull();
  });

  it('accepts +json types and a charset parameter', () => {
    expect(parseRequestBody('application/vnd.network+json; charset=utf-8', buf('{"a":"b"}'))).toEqual({ a: 'b' });
  });

  it('strips a UTF-8 byte order mark', () => {
    expect(parseRequestBody(JSON_TYPE, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), buf('{"a":1}')]))).toEqual({ a: 1 });
  });

  it('drops __proto__, constructor and prototype at every level', () => {
    const body = parseRequestBody(
      JSON_TYPE,
      buf('{"__proto__":{"polluted":1},"n":{"constructor":{"prototype":{"x":1}},"prototype":2,"k":3},"l":[{"__proto__":1}]}'),
    );
    expect(body).toEqual({ n: { k: 3 }, l: [{}] });
    expect(Object.getPrototypeOf(body)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it.each(['{"a":', '{a:1}', "{'a':1}", '[1,]', 'NaN', '{"a":1}x'])('refuses invalid JSON %p naming body', (text) => {
    const error = thrown(() => parseRequestBody(JSON_TYPE, buf(text)));
    expect(error).toBeInstanceOf(BadParameterError);
    expect((error as BadParameterError).param).toBe('body');
  });

  it(`accepts ${MAX_JSON_DEPTH} levels of nesting and refuses one more`, () => {
    const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
    expect(() => parseRequestBody(JSON_TYPE, buf(nested(MAX_JSON_DEPTH)))).not.toThrow();
    const error = thrown(() => parseRequestBody(JSON_TYPE, buf(nested(MAX_JSON_DEPTH + 1))));
    expect((error as BadParameterError).param).toBe('body');
  });

  it('refuses a million levels of nesting without overflowing the stack', () => {
    const deep = '{"a":'.repeat(1_000_000) + '1' + '}'.repeat(1_000_000);
    expect(thrown(() => parseRequestBody(JSON_TYPE, buf(deep)))).toBeInstanceOf(BadParameterError);
  });

  it('treats a blank JSON body as no body', () => {
    expect(parseRequestBody(JSON_TYPE, buf('  \n'))).toBeUndefined();
  });
});

describe('parseRequestBody: other input', () => {
  it.each([
    ['text/plain', 'a=1'],
    ['application/xml', '<a/>'],
    ['multipart/form-data; boundary=x', '--x--'],
    [undefined, '{"a":1}'],
    [JSON_TYPE, ''],
    [FORM, ''],
  ])('gives undefined for %p with %p', (type, text) => {
    expect(parseRequestBody(type, buf(text))).toBeUndefined();
  });

  it('either parses or throws a BadParameterError, for any bytes and any declared type', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(FORM, JSON_TYPE, 'application/problem+json', 'text/plain', undefined),
        fc.oneof(
          fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b)),
          fc.string().map(buf),
          fc.json().map(buf),
        ),
        (type, body) => {
          try {
            parseRequestBody(type, body);
          } catch (error) {
            if (!(error instanceof BadParameterError)) throw error;
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('parses every form it can serialise back to the same fields', () => {
    const key = fc.string({ minLength: 1 }).filter((k) => !['__proto__', 'constructor', 'prototype'].includes(k));
    fc.assert(
      fc.property(fc.uniqueArray(fc.tuple(key, fc.string()), { selector: ([k]) => k, minLength: 1, maxLength: 10 }), (entries) => {
        const text = new URLSearchParams(entries).toString();
        expect(parseRequestBody(FORM, buf(text))).toEqual(Object.fromEntries(entries));
      }),
    );
  });
});

describe('buildAdapterRequest', () => {
  it('lower-cases headers, strips content-type parameters and parses the body', () => {
    const request = buildAdapterRequest({
      method: 'POST',
      path: '/postback/acme',
      query: { a: '1' },
      headers: { 'Content-Type': 'application/json; charset=utf-8', 'X-Signature': 'abc' },
      body: '{"click_id":"c1"}',
      ip: '203.0.113.7',
    });
    expect(request).toEqual({
      method: 'POST',
      path: '/postback/acme',
      query: { a: '1' },
      headers: { 'content-type': 'application/json; charset=utf-8', 'x-signature': 'abc' },
      contentType: 'application/json',
      rawBody: Buffer.from('{"click_id":"c1"}'),
      body: { click_id: 'c1' },
      ip: '203.0.113.7',
    });
  });

  it('gives a GET without a body an empty raw body, no body and a default address', () => {
    const request = buildAdapterRequest({ method: 'GET', path: '/postback/x', query: { click_id: 'c' } });
    expect(request.rawBody.length).toBe(0);
    expect(request.body).toBeUndefined();
    expect(request.contentType).toBeUndefined();
    expect(request.ip).toBe('127.0.0.1');
  });

  it('prefers an explicit content type and keeps a Buffer body as it is', () => {
    const raw = Buffer.from('a=1&b=2');
    const request = buildAdapterRequest({ method: 'POST', path: '/p', contentType: FORM, headers: { 'content-type': 'text/plain' }, body: raw });
    expect(request.rawBody).toBe(raw);
    expect(request.body).toEqual({ a: '1', b: '2' });
  });

  it('drops prototype-polluting query keys', () => {
    const query = JSON.parse('{"__proto__":"x","constructor":"y","ok":"1"}') as Record<string, string>;
    expect(Object.keys(buildAdapterRequest({ method: 'GET', path: '/p', query }).query)).toEqual(['ok']);
  });

  it('refuses the same header under two cases', () => {
    const error = thrown(() => buildAdapterRequest({ method: 'GET', path: '/p', headers: { 'X-Sig': 'a', 'x-sig': 'b' } }));
    expect((error as BadParameterError).param).toBe('x-sig');
  });

  it('passes on body errors as adapter errors', () => {
    const error = thrown(() => buildAdapterRequest({ method: 'POST', path: '/p', contentType: JSON_TYPE, body: '{' }));
    expect(error).toBeInstanceOf(AdapterError);
  });

  it('refuses non-string query values and unknown methods, which are programming errors', () => {
    expect(thrown(() => buildAdapterRequest({ method: 'GET', path: '/p', query: { a: 1 as unknown as string } }))).toBeInstanceOf(TypeError);
    expect(thrown(() => buildAdapterRequest({ method: 'PUT' as 'GET', path: '/p' }))).toBeInstanceOf(TypeError);
  });
});
