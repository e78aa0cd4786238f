import fc from 'fast-check';
import { IpAllowlist, IpAllowlistError } from './ip-allowlist';

describe('IpAllowlist', () => {
  it('matches IPv4 ranges and single addresses', () => {
    const list = new IpAllowlist(['10.0.0.0/8', '203.0.113.7']);
    expect(list.allows('10.1.2.3')).toBe(true);
    expect(list.allows('203.0.113.7')).toBe(true);
    expect(list.allows('203.0.113.8')).toBe(false);
    expect(list.allows('11.0.0.1')).toBe(false);
  });

  it('matches IPv6 ranges and single addresses', () => {
    const list = new IpAllowlist(['2001:db8::/32', '::1']);
    expect(list.allows('2001:db8:ffff::1')).toBe(true);
    expect(list.allows('2001:DB8::1')).toBe(true);
    expect(list.allows('::1')).toBe(true);
    expect(list.allows('2001:db9::1')).toBe(false);
    expect(list.allows('::2')).toBe(false);
  });

  it('matches IPv4-mapped IPv6 addresses against IPv4 ranges', () => {
    const list = new IpAllowlist(['192.0.2.0/24']);
    expect(list.allows('::ffff:192.0.2.10')).toBe(true);
    expect(list.allows('::ffff:c000:20a')).toBe(true);
    expect(list.allows('::FFFF:192.0.2.10')).toBe(true);
    expect(list.allows('::ffff:192.0.3.10')).toBe(false);
  });

  it('stores an IPv4-mapped range as the IPv4 range it covers', () => {
    const list = new IpAllowlist(['::ffff:10.0.0.0/104', '::ffff:1.2.3.4']);
    expect(list.entries).toEqual(['10.0.0.0/8', '1.2.3.4/32']);
    expect(list.allows('10.9.9.9')).toBe(true);
    expect(list.allows('::ffff:10.9.9.9')).toBe(true);
    expect(list.allows('1.2.3.4')).toBe(true);
  });

  it('does not let IPv4 ranges match IPv6 addresses or the other way round', () => {
    expect(new IpAllowlist(['0.0.0.0/0']).allows('2001:db8::1')).toBe(false);
    expect(new IpAllowlist(['::/0']).allows('1.2.3.4')).toBe(false);
    expect(new IpAllowlist(['0.0.0.0/0']).allows('8.8.8.8')).toBe(true);
  });

  it('allows nothing when empty', () => {
    const list = new IpAllowlist([]);
    expect(list.size).toBe(0);
    expect(list.allows('127.0.0.1')).toBe(false);
    expect(list.allows('::1')).toBe(false);
  });

  it('refuses obfuscated, zoned or malformed addresses when asked', () => {
    const list = new IpAllowlist(['127.0.0.0/8', '8.0.0.0/8', 'fe80::/10']);
    for (const ip of ['127.1', '0x7f.0.0.1', '2130706433', '010.0.0.1', 'fe80::1%eth0', ' 127.0.0.1', '127.0.0.1 ', '', 'localhost']) {
      expect([ip, list.allows(ip)]).toEqual([ip, false]);
    }
    expect(list.allows(undefined as unknown as string)).toBe(false);
  });

  it('trims entries and reports them in canonical form', () => {
    const list = new IpAllowlist([' 10.0.0.0/8 ', '2001:DB8:0:0::/32', '2001:db8::1']);
    expect(list.entries).toEqual(['10.0.0.0/8', '2001:db8::/32', '2001:db8::1/128']);
    expect(list.size).toBe(3);
  });

  it('throws one readable error naming every bad entry', () => {
    let error: unknown;
    try {
      new IpAllowlist(['10.0.0.0/8', 'nope', '1.2.3.4/33', '10.0.0.1/8']);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(IpAllowlistError);
    const problems = (error as IpAllowlistError).problems;
    expect(problems).toHaveLength(3);
    expect(problems[0]).toContain('"nope"');
    expect(problems[1]).toContain('"1.2.3.4/33"');
    expect(problems[2]).toContain('did you mean 10.0.0.0/8?');
    expect((error as Error).message).toContain('"nope"');
  });

  it('validates for the admin API without throwing', () => {
    expect(IpAllowlist.validate(['10.0.0.0/8', '::1', '2001:db8::/32', '::ffff:10.0.0.0/104'])).toEqual([]);
    const problems = IpAllowlist.validate([
      '',
      '127.1',
      '1.2.3.4/0',
      '10.0.0.0/08',
      '10.0.0.0/+8',
      '10.0.0.0/',
      '::/129',
      '::ffff:10.0.0.0/95',
      'fe80::1%eth0',
      '1.2.3.4/8/8',
      42 as unknown as string,
      'evil\n"injected"',
    ]);
    expect(problems).toHaveLength(12);
    expect(problems[2]).toBe('"1.2.3.4/0" has host bits set; did you mean 0.0.0.0/0?');
    expect(problems[6]).toContain('above 128');
    expect(problems[10]).toBe('42 is not a string');
    // The bad entry is shown JSON-escaped, so it cannot add a line to a log.
    expect(problems[11]).not.toContain('\n');
  });

  it('contains every address of a range it was built from (property)', () => {
    fc.assert(
      fc.property(fc.ipV4(), fc.integer({ min: 0, max: 32 }), (ip, bits) => {
        const bytes = ip.split('.').map(Number);
        const network = bytes.map((b, i) => b & ((0xff << (8 - Math.max(0, Math.min(8, bits - i * 8)))) & 0xff)).join('.');
        const list = new IpAllowlist([`${network}/${bits}`]);
        return list.allows(ip) && list.allows(`::ffff:${ip}`);
      }),
    );
  });

  it('a /128 or /32 allows exactly one address (property)', () => {
    fc.assert(
      fc.property(fc.ipV6(), fc.ipV6(), (a, b) => {
        const list = new IpAllowlist([a]);
        return list.allows(a) && list.allows(b) === (list.entries[0] === new IpAllowlist([b]).entries[0]);
      }),
    );
  });
});
