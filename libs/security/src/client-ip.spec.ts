import fc from 'fast-check';
import { resolveClientIp } from './client-ip';
import { IpAllowlist } from './ip-allowlist';

const proxies = new IpAllowlist(['10.0.0.0/8', '2001:db8:aaaa::/48']);

describe('resolveClientIp', () => {
  it('uses the socket address when no proxy is trusted', () => {
    expect(resolveClientIp('198.51.100.7', '1.1.1.1', undefined)).toBe('198.51.100.7');
    expect(resolveClientIp('198.51.100.7', '1.1.1.1', new IpAllowlist([]))).toBe('198.51.100.7');
  });

  it('ignores X-Forwarded-For from an untrusted peer', () => {
    expect(resolveClientIp('198.51.100.7', '203.0.113.5', proxies)).toBe('198.51.100.7');
    expect(resolveClientIp('198.51.100.7', '10.0.0.1, 127.0.0.1', proxies)).toBe('198.51.100.7');
  });

  it('spoofed X-Forwarded-For from an untrusted peer never changes the result (property)', () => {
    fc.assert(fc.property(fc.string(), (spoofed) => resolveClientIp('198.51.100.7', spoofed, proxies) === '198.51.100.7'));
  });

  it('takes the rightmost untrusted hop behind trusted proxies', () => {
    expect(resolveClientIp('10.0.0.2', '203.0.113.5', proxies)).toBe('203.0.113.5');
    expect(resolveClientIp('10.0.0.2', '203.0.113.5, 10.0.0.9, 10.0.0.3', proxies)).toBe('203.0.113.5');
    // The client wrote "1.1.1.1" itself; our proxy appended the real peer 203.0.113.5.
    expect(resolveClientIp('10.0.0.2', '1.1.1.1, 203.0.113.5', proxies)).toBe('203.0.113.5');
  });

  it('joins repeated X-Forwarded-For headers into one list', () => {
    expect(resolveClientIp('10.0.0.2', ['1.1.1.1', '203.0.113.5, 10.0.0.3'], proxies)).toBe('203.0.113.5');
  });

  it('stops at a malformed hop and keeps the last good (trusted) address', () => {
    expect(resolveClientIp('10.0.0.2', '1.1.1.1, garbage, 10.0.0.3', proxies)).toBe('10.0.0.3');
    expect(resolveClientIp('10.0.0.2', '1.1.1.1, unknown', proxies)).toBe('10.0.0.2');
    expect(resolveClientIp('10.0.0.2', '1.1.1.1,,10.0.0.3', proxies)).toBe('10.0.0.3');
    expect(resolveClientIp('10.0.0.2', '', proxies)).toBe('10.0.0.2');
    // Obfuscated forms are malformed, not parsed into something else.
    expect(resolveClientIp('10.0.0.2', '1.1.1.1, 0x7f.1', proxies)).toBe('10.0.0.2');
    expect(resolveClientIp('10.0.0.2', '1.1.1.1, 010.0.0.1', proxies)).toBe('10.0.0.2');
  });

  it('returns the leftmost hop when every hop is a trusted proxy', () => {
    expect(resolveClientIp('10.0.0.2', '10.0.0.4, 10.0.0.3', proxies)).toBe('10.0.0.4');
  });

  it('uses the socket address when the header is absent', () => {
    expect(resolveClientIp('10.0.0.2', undefined, proxies)).toBe('10.0.0.2');
  });

  it('text the client prepends cannot change the result behind a trusted proxy (property)', () => {
    fc.assert(fc.property(fc.string(), (spoofed) => resolveClientIp('10.0.0.2', `${spoofed}, 203.0.113.5`, proxies) === '203.0.113.5'));
  });

  it('accepts hops with ports and bracketed IPv6', () => {
    expect(resolveClientIp('10.0.0.2', '203.0.113.5:51234', proxies)).toBe('203.0.113.5');
    expect(resolveClientIp('10.0.0.2', '[2001:db8::5]:443', proxies)).toBe('2001:db8::5');
    expect(resolveClientIp('10.0.0.2', '[2001:db8::5]', proxies)).toBe('2001:db8::5');
    expect(resolveClientIp('10.0.0.2', '2001:DB8:0::5', proxies)).toBe('2001:db8::5');
  });

  it('treats IPv4-mapped socket and hop addresses as IPv4', () => {
    expect(resolveClientIp('::ffff:10.0.0.2', '::ffff:203.0.113.5', proxies)).toBe('203.0.113.5');
    expect(resolveClientIp('::ffff:198.51.100.7', '1.1.1.1', proxies)).toBe('198.51.100.7');
  });

  it('works with IPv6 proxies', () => {
    expect(resolveClientIp('2001:db8:aaaa::1', '2001:db8:bbbb::9, 2001:db8:aaaa::2', proxies)).toBe('2001:db8:bbbb::9');
  });

  it('returns an unparsable socket address unchanged and ignores the header', () => {
    expect(resolveClientIp('not-an-ip', '203.0.113.5', proxies)).toBe('not-an-ip');
  });
});
