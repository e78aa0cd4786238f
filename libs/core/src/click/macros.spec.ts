import { fillUrlMacros } from './macros';

describe('fillUrlMacros', () => {
  it('replaces known macros with url-encoded values', () => {
    const url = fillUrlMacros('https://offer.example/?cid={click_id}&s={sub1}', { click_id: 'abc', sub1: 'a b&c=d' });
    expect(url).toBe('https://offer.example/?cid=abc&s=a%20b%26c%3Dd');
  });

  it('cannot be used to change the host', () => {
    const url = fillUrlMacros('https://offer.example/?s={sub1}', { sub1: 'x@evil.com/?a=1#' });
    const parsed = new URL(url);
    expect(parsed.hostname).toBe('offer.example');
    expect(parsed.searchParams.get('s')).toBe('x@evil.com/?a=1#');
    expect([...parsed.searchParams.keys()]).toEqual(['s']);
  });

  it('leaves unknown macros and empties known ones without value', () => {
    expect(fillUrlMacros('a={foo}&b={sub2}', { sub2: undefined })).toBe('a={foo}&b=');
  });

  it('matches macro names case-insensitively', () => {
    expect(fillUrlMacros('{CLICK_ID}', { click_id: 'x' })).toBe('x');
  });
});
