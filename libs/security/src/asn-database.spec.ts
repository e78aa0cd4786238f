import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FraudScorer, firedReasons, withFraudDefaults, type FraudPolicy } from '@postwire/core';
import { AsnDatabase, ASN_FILES, shippedAsnDataDir } from './asn-database';

const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';
const RESIDENTIAL = '81.2.69.142'; // a UK broadband address, not hosting

describe('AsnDatabase (the shipped @ip-location-db/asn data, read offline)', () => {
  const db = new AsnDatabase();

  it('loads hundreds of thousands of ranges', () => {
    expect(db.size).toBeGreaterThan(300_000);
  });

  it.each([
    ['52.95.110.1', 16509], // Amazon
    ['8.8.8.8', 15169], // Google public DNS
    ['1.0.0.1', 13335], // Cloudflare
    ['2a01:4f8::1', 24940], // Hetzner, IPv6
  ])('%s is in AS%d', (ip, asn) => {
    expect(db.lookup(ip)?.asn).toBe(asn);
  });

  it('names the organisation, quotes removed', () => {
    expect(db.lookup('52.95.110.1')?.organisation).toBe('Amazon.com, Inc.');
  });

  it('knows no ASN for private, unparseable or IPv4-mapped-private addresses', () => {
    expect(db.lookup('10.1.2.3')).toBeUndefined();
    expect(db.lookup('::ffff:10.1.2.3')).toBeUndefined();
    expect(db.lookup('not-an-ip')).toBeUndefined();
  });

  it('reads IPv4-mapped IPv6 addresses as IPv4', () => {
    expect(db.lookup('::ffff:52.95.110.1')?.asn).toBe(16509);
  });

  it('reads any folder in the same format (how an operator updates the data)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'asn-'));
    writeFileSync(join(dir, ASN_FILES.ipv4), '167772160,167772415,64500,"Example, Hosting"\n');
    writeFileSync(join(dir, ASN_FILES.ipv6), '');
    const own = new AsnDatabase(dir);
    expect(own.lookup('10.0.0.9')).toEqual({ asn: 64500, organisation: 'Example, Hosting' });
    expect(own.lookup('10.0.1.0')).toBeUndefined();
  });

  it('skips a line with missing fields without losing the next one, and reads 39-digit IPv6 numbers exactly', () => {
    const dir = mkdtempSync(join(tmpdir(), 'asn-'));
    writeFileSync(join(dir, ASN_FILES.ipv4), '167772160,167772415\ngarbage\n167772416,167772671,64501,Next\r\n');
    // 0:0:0:1::/64 (2^64, a 20-digit number: a short first chunk), and 2001:4860::/32; sorted by start, as the data is.
    writeFileSync(
      join(dir, ASN_FILES.ipv6),
      '18446744073709551616,18446744073709551617,64502,Low\n42541956101370907050197289607612071936,42541956180599069564461627201156022271,15169,Google LLC\n',
    );
    const own = new AsnDatabase(dir);
    expect(own.size).toBe(3);
    expect(own.lookup('10.0.0.9')).toBeUndefined();
    expect(own.lookup('10.0.1.9')).toEqual({ asn: 64501, organisation: 'Next' });
    expect(own.lookup('2001:4860:4860::8888')?.asn).toBe(15169);
    expect(own.lookup('2001:4860:ffff:ffff::1')?.asn).toBe(15169);
    expect(own.lookup('2001:4861::')).toBeUndefined();
    expect(own.lookup('2001:485f:ffff:ffff::')).toBeUndefined();
    expect(own.lookup('0:0:0:1::5')?.asn).toBe(64502);
    expect(own.lookup('::1:0:0:0')).toBeUndefined();
  });
});

describe('AsnDatabase compiled files (what the build makes of the shipped data)', () => {
  function folder(ipv4: string, ipv6 = ''): string {
    const dir = mkdtempSync(join(tmpdir(), 'asn-'));
    writeFileSync(join(dir, ASN_FILES.ipv4), ipv4);
    writeFileSync(join(dir, ASN_FILES.ipv6), ipv6);
    return dir;
  }
  const IPV4 = '167772160,167772415,64500,"Example, ""Hosting"""\n167772416,167772671,64501,Zürich Netz\n167772672,167772927,64500,"Example, ""Hosting"""\n';
  const IPV6 = '42541956101370907050197289607612071936,42541956180599069564461627201156022271,15169,Google LLC\n';

  it('loads the same ranges and names as the CSV files they were made from', () => {
    const dir = folder(IPV4, IPV6);
    const file = join(dir, 'compiled.bin');
    AsnDatabase.compile(dir, file);
    // Same sizes, other bytes: only a database read from the compiled file still says "Zürich Netz".
    writeFileSync(join(dir, ASN_FILES.ipv4), IPV4.replace('Zürich Netz', 'Zurich Netzz'));
    const compiled = new AsnDatabase(dir, file);
    expect(compiled.readFrom).toBe('compiled file');
    expect(compiled.size).toBe(4);
    expect(compiled.lookup('10.0.0.9')).toEqual({ asn: 64500, organisation: 'Example, "Hosting"' });
    expect(compiled.lookup('10.0.1.9')).toEqual({ asn: 64501, organisation: 'Zürich Netz' });
    expect(compiled.lookup('10.0.2.255')).toEqual({ asn: 64500, organisation: 'Example, "Hosting"' });
    expect(compiled.lookup('10.0.3.0')).toBeUndefined();
    expect(compiled.lookup('2001:4860:4860::8888')).toEqual({ asn: 15169, organisation: 'Google LLC' });
    expect(compiled.lookup('2001:4861::')).toBeUndefined();
    expect(new AsnDatabase(dir).lookup('10.0.1.9')?.organisation).toBe('Zurich Netzz');
  });

  it('is not used once the folder holds other files (an operator updated the data)', () => {
    const dir = folder(IPV4, IPV6);
    const file = join(dir, 'compiled.bin');
    AsnDatabase.compile(dir, file);
    writeFileSync(join(dir, ASN_FILES.ipv4), IPV4 + '167772928,167773183,64502,Added\n');
    const db = new AsnDatabase(dir, file);
    expect(db.readFrom).toBe('CSV files');
    expect(db.lookup('10.0.3.1')).toEqual({ asn: 64502, organisation: 'Added' });
  });

  it('is not used when it was cut short', () => {
    const dir = folder(IPV4, IPV6);
    const file = join(dir, 'compiled.bin');
    AsnDatabase.compile(dir, file);
    writeFileSync(file, readFileSync(file).subarray(0, statSync(file).size - 3));
    const db = new AsnDatabase(dir, file);
    expect(db.readFrom).toBe('CSV files');
    expect(db.lookup('10.0.1.9')?.organisation).toBe('Zürich Netz');
  });

  it('is not used when it is no compiled file at all', () => {
    const dir = folder(IPV4);
    const file = join(dir, 'compiled.bin');
    writeFileSync(file, 'not a compiled ASN file');
    expect(new AsnDatabase(dir, file).lookup('10.0.1.9')?.organisation).toBe('Zürich Netz');
  });

  it('holds the whole shipped data set as the CSV files do', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'asn-')), 'shipped.bin');
    const parsed = AsnDatabase.compile(shippedAsnDataDir(), file);
    // The arrays themselves, about 10 MB: a compiled file is the tables' bytes and a small header, nothing else.
    expect(statSync(file).size).toBeLessThan(16_000_000);
    const compiled = new AsnDatabase(shippedAsnDataDir(), file);
    expect(compiled.readFrom).toBe('compiled file');
    expect(compiled.size).toBe(parsed.size);
    const sample = ['52.95.110.1', '8.8.8.8', '1.0.0.1', '81.2.69.142', '2a01:4f8::1', '2001:4860:4860::8888', '10.1.2.3', '::ffff:52.95.110.1'];
    // Plus addresses spread over the whole IPv4 space, most of them inside some range.
    for (let i = 0; i < 2000; i++) sample.push([(i * 131) % 224, (i * 37) % 256, (i * 101) % 256, i % 256].join('.'));
    for (const ip of sample) expect([ip, compiled.lookup(ip)]).toEqual([ip, parsed.lookup(ip)]);
  });
});

describe('the datacenter signal on the shipped ASN database', () => {
  const asn = new AsnDatabase();
  const scorer = new FraudScorer(asn);
  const policy = (over: Partial<FraudPolicy> = {}): FraudPolicy => withFraudDefaults(over);
  it.each([
    ['52.95.110.1', 'AS16509'], // Amazon AWS
    ['5.9.1.1', 'AS24940'], // Hetzner
    ['2a01:4f8::1', 'AS24940'],
  ])('%s fires datacenter_ip with its ASN as the value', (ip, shown) => {
    const signal = scorer.assessClick({ ip, userAgent: CHROME, subs: {} }, policy()).signals.find((s) => s.code === 'datacenter_ip')!;
    expect(signal.fired).toBe(true);
    expect(signal.value).toContain(shown);
    expect(signal.threshold).toBe('hosting ASN list');
  });

  it('does not fire for a residential address, and does for an operator-added ASN', () => {
    const found = asn.lookup(RESIDENTIAL)!;
    expect(firedReasons(scorer.assessClick({ ip: RESIDENTIAL, userAgent: CHROME, subs: {} }, policy()))).toEqual([]);
    expect(firedReasons(scorer.assessClick({ ip: RESIDENTIAL, userAgent: CHROME, subs: {} }, policy({ extraHostingAsns: [found.asn] })))).toEqual([
      'datacenter_ip',
    ]);
  });
});
