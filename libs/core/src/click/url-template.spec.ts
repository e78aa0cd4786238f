import { normaliseUrlTemplate } from './url-template';

const ok = (template: string) => {
  const result = normaliseUrlTemplate(template);
  if (!result.ok) throw new Error(`refused ${template}: ${result.reason}`);
  return result.url;
};

describe('normaliseUrlTemplate', () => {
  it.each<[string, string, string]>([
    ['an IDN host to punycode', 'https://пример.рф/offer?c={click_id}', 'https://xn--e1afmkfd.xn--p1ai/offer?c={click_id}'],
    ['emoji in the path', 'https://shop.example/🎁?x={sub1}', 'https://shop.example/%F0%9F%8E%81?x={sub1}'],
    ['U+202E in the query', 'https://shop.example/?q=a\u202eb', 'https://shop.example/?q=a%E2%80%AEb'],
    ['Latin-1 and spaces', 'https://shop.example/café?q=a b', 'https://shop.example/caf%C3%A9?q=a%20b'],
    ['upper-case host and default port', 'HTTPS://Shop.Example:443/p', 'https://shop.example/p'],
    ['kept escapes and macros', 'http://a.example:8080/%7Bx%7D/{sub2}#{sub3}', 'http://a.example:8080/%7Bx%7D/{sub2}#{sub3}'],
  ])('normalises %s', (_name, input, expected) => {
    const url = ok(input);
    expect(url).toBe(expected);
    expect(ok(url)).toBe(url);
    expect(/^[\x21-\x7e]*$/.test(url)).toBe(true);
  });

  it.each<[string, string, RegExp]>([
    ['a macro as host', 'https://{sub1}/x', /host/],
    ['a macro in the host', 'https://{sub1}.evil.example/x', /host/],
    ['a macro as port', 'https://shop.example:{sub1}/x', /port/],
    ['a macro as scheme', '{sub1}://shop.example/x', /absolute/],
    ['a macro as the whole URL', '{url}', /absolute/],
    ['CRLF', 'https://shop.example/x\r\nSet-Cookie: a=b', /control/],
    ['NUL', 'https://shop.example/\u0000', /control/],
    ['a lone surrogate', 'https://shop.example/\ud800', /surrogate/],
    ['another scheme', 'javascript://x/%0aalert(1)', /http/],
    ['no host', 'http:///path', /host/],
    ['a bad port', 'http://shop.example:99999/', /host or port/],
  ])('refuses %s', (_name, input, reason) => {
    const result = normaliseUrlTemplate(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(reason);
  });
});
