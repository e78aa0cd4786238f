import fc from 'fast-check';
import ipaddr from 'ipaddr.js';
import { formatIpAddress, parseIpAddress } from './ip-address';

const canonical = (text: string) => {
  const parsed = parseIpAddress(text);
  return parsed && formatIpAddress(parsed);
};

describe('parseIpAddress', () => {
  it('parses dotted-quad IPv4 and IPv6 into canonical text', () => {
    expect(canonical('192.0.2.1')).toBe('192.0.2.1');
    expect(canonical('2001:DB8:0:0:0:0:0:1')).toBe('2001:db8::1');
    expect(canonical('::')).toBe('::');
  });

  it('unwraps IPv4-mapped IPv6 to IPv4', () => {
    expect(canonical('::ffff:192.0.2.1')).toBe('192.0.2.1');
    expect(canonical('::ffff:c000:201')).toBe('192.0.2.1');
    expect(parseIpAddress('::ffff:192.0.2.1')?.kind()).toBe('ipv4');
  });

  it('reads ::a.b.c.d as the IPv4-compatible address it is, not as IPv4-mapped', () => {
    expect(canonical('::8.8.8.8')).toBe('::808:808');
    expect(parseIpAddress('::127.0.0.1')?.kind()).toBe('ipv6');
  });

  it('agrees with the WHATWG URL parser on every IPv6 address (property)', () => {
    fc.assert(
      fc.property(fc.ipV6(), (text) => {
        const parsed = parseIpAddress(text);
        const whatwg = new URL(`http://[${text}]/`).hostname.slice(1, -1);
        if (parsed?.kind() === 'ipv4') return (parsed as ipaddr.IPv4).toIPv4MappedAddress().toRFC5952String() === whatwg;
        return parsed !== null && formatIpAddress(parsed) === whatwg;
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses the lenient forms ipaddr.js alone would accept', () => {
    for (const text of ['127.1', '0x7f.0.0.1', '2130706433', '010.0.0.1', '1.2.3.04', 'fe80::1%eth0', ' 1.2.3.4', '1.2.3.4/32', '', 'localhost', '1::2::3']) {
      expect([text, parseIpAddress(text)]).toEqual([text, null]);
    }
  });
});
