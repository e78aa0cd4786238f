import fc from 'fast-check';
import { findDuplicateJsonKey } from './json-duplicate-keys';
import { parseRequestBody } from './request-body';

describe('findDuplicateJsonKey', () => {
  it.each<[string, string, string | undefined]>([
    ['flat, unique', '{"a":1,"b":"a"}', undefined],
    ['flat duplicate', '{"status":"declined","status":"approved"}', 'status'],
    ['escaped spelling of the same key', '{"a":1,"\\u0061":2}', 'a'],
    ['nested duplicate', '{"x":{"y":1,"y":2}}', 'x.y'],
    ['inside an array', '{"items":[{"a":1},{"b":1,"b":2}]}', 'items[1].b'],
    ['same key in sibling objects is fine', '{"a":{"k":1},"b":{"k":2}}', undefined],
    ['a value that looks like a key', '{"a":"a","b":["a","a"]}', undefined],
    ['strings with quotes and braces', '{"a":"}\\",{","b":"x","a":0}', 'a'],
    ['top-level array', '[{"a":1,"a":1}]', '[0].a'],
    ['scalar', '"x"', undefined],
    ['empty objects', '{"a":{},"b":{},"c":[]}', undefined],
  ])('%s', (_name, text, expected) => {
    JSON.parse(text);
    expect(findDuplicateJsonKey(text)).toBe(expected);
  });

  it('finds no duplicate in any JSON.stringify output', () => {
    fc.assert(fc.property(fc.jsonValue(), (value) => findDuplicateJsonKey(JSON.stringify(value)) === undefined));
  });

  it('finds the duplicate that is spliced into any object', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue(), { minKeys: 1 }), (value) => {
        const key = Object.keys(value)[0];
        // A function, so a key such as `$&` is not read as a replacement pattern.
        const text = JSON.stringify(value).replace(/\}$/, () => `,${JSON.stringify(key)}:0}`);
        return findDuplicateJsonKey(text) === key.slice(0, 128) + (key.length > 128 ? '…' : '');
      }),
    );
  });

  it('makes parseRequestBody refuse a duplicate key, naming it', () => {
    expect(() => parseRequestBody('application/json', Buffer.from('{"click_id":"a","payout":"1","payout":"999"}'))).toThrow(/payout/);
  });
});
