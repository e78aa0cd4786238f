import { readFileSync } from 'node:fs';
import { isIPv4 } from 'node:net';
import { dirname, join } from 'node:path';
import type { AsnLookup, AsnRecord } from '@postwire/core';
import { parseIpAddress } from './ip-address';

/** The IP-to-ASN files read, in the `@ip-location-db/asn` numeric CSV format: `start,end,asn,organisation`. */
export const ASN_FILES = { ipv4: 'asn-ipv4-num.csv', ipv6: 'asn-ipv6-num.csv' } as const;

/** The folder of the shipped data set (`@ip-location-db/asn`, CC BY 4.0, RouteViews and DB-IP). */
export function shippedAsnDataDir(): string {
  return dirname(require.resolve('@ip-location-db/asn/package.json'));
}

interface Table<T> {
  starts: T;
  ends: T;
  asns: Uint32Array;
}

/**
 * IP → ASN from a local copy of an IP-to-ASN data set, held in memory as sorted typed arrays (about
 * 5 MB for IPv4) and looked up by binary search: no network at run time. IPv6 ranges are kept by
 * their upper 64 bits, which is the finest any routed prefix is announced at.
 *
 * Read once at boot (a second or so); the folder can be any copy in the same format, so an operator
 * updates the data without upgrading Postwire (docs/fraud.md).
 */
export class AsnDatabase implements AsnLookup {
  private readonly v4: Table<Uint32Array>;
  private readonly v6: Table<BigUint64Array>;
  private readonly names = new Map<number, string>();

  constructor(dir: string = shippedAsnDataDir()) {
    this.v4 = this.load(
      join(dir, ASN_FILES.ipv4),
      (n) => Number(n),
      (len) => new Uint32Array(len),
    );
    this.v6 = this.load(
      join(dir, ASN_FILES.ipv6),
      (n) => BigInt(n) >> 64n,
      (len) => new BigUint64Array(len),
    );
  }

  /** Ranges loaded (IPv4 + IPv6). */
  get size(): number {
    return this.v4.asns.length + this.v6.asns.length;
  }

  lookup(ip: string): AsnRecord | undefined {
    // The common case, a dotted quad, without building an address object (clicks are scored by the batch).
    if (isIPv4(ip))
      return this.record(
        findV4(
          this.v4,
          ip.split('.').reduce((n, part) => n * 256 + Number(part), 0),
        ),
      );
    const address = parseIpAddress(ip);
    if (!address) return undefined;
    const bytes = address.toByteArray();
    const asn =
      address.kind() === 'ipv4'
        ? findV4(this.v4, ((bytes[0] << 24) | (bytes[1] << 16) | (bytes[2] << 8) | bytes[3]) >>> 0)
        : findV6(
            this.v6,
            BigInt(
              '0x' +
                bytes
                  .slice(0, 8)
                  .map((b) => b.toString(16).padStart(2, '0'))
                  .join(''),
            ),
          );
    return this.record(asn);
  }

  private record(asn: number | undefined): AsnRecord | undefined {
    return asn === undefined ? undefined : { asn, organisation: this.names.get(asn) ?? '' };
  }

  private load<T extends Uint32Array | BigUint64Array>(file: string, num: (text: string) => number | bigint, make: (len: number) => T): Table<T> {
    // Walked by index rather than split into lines: half a million line strings would double the peak memory of a boot.
    const text = readFileSync(file, 'utf8');
    let rows = 0;
    for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) rows++;
    const starts = make(rows + 1);
    const ends = make(rows + 1);
    const asns = new Uint32Array(rows + 1);
    let n = 0;
    for (let start = 0; start < text.length;) {
      const newline = text.indexOf('\n', start);
      const end = newline < 0 ? text.length : newline;
      const a = text.indexOf(',', start);
      const b = a < 0 ? -1 : text.indexOf(',', a + 1);
      const c = b < 0 ? -1 : text.indexOf(',', b + 1);
      if (a >= 0 && c >= 0 && c < end) {
        const asn = Number(text.slice(b + 1, c));
        (starts as unknown as Array<number | bigint>)[n] = num(text.slice(start, a));
        (ends as unknown as Array<number | bigint>)[n] = num(text.slice(a + 1, b));
        asns[n] = asn;
        // A copy, not a slice: a slice would keep the whole file's text alive for as long as the name.
        if (!this.names.has(asn)) this.names.set(asn, Buffer.from(unquote(text.slice(c + 1, end)), 'utf8').toString('utf8'));
        n++;
      }
      start = end + 1;
    }
    return { starts: starts.subarray(0, n) as T, ends: ends.subarray(0, n) as T, asns: asns.subarray(0, n) };
  }
}

/**
 * The ASN of the last range starting at or before `value`, when `value` is inside it (the files are
 * sorted by start). Two copies, one per array type: one function over both would see numbers and
 * bigints at the same site and lose V8's fast path (4 µs a lookup instead of well under one).
 */
function findV4(table: Table<Uint32Array>, value: number): number | undefined {
  const { starts, ends, asns } = table;
  let lo = 0;
  let hi = starts.length - 1;
  let at = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (starts[mid] <= value) {
      at = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return at >= 0 && value <= ends[at] ? asns[at] : undefined;
}

function findV6(table: Table<BigUint64Array>, value: bigint): number | undefined {
  const { starts, ends, asns } = table;
  let lo = 0;
  let hi = starts.length - 1;
  let at = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (starts[mid] <= value) {
      at = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return at >= 0 && value <= ends[at] ? asns[at] : undefined;
}

function unquote(field: string): string {
  const text = field.trim();
  return text.startsWith('"') && text.endsWith('"') ? text.slice(1, -1).replace(/""/g, '"') : text;
}

/**
 * An {@link AsnDatabase} read on its first lookup, so a process that never scores (the worker) never
 * loads it; `preload()` reads it at boot instead, so the first scored batch does not wait for it.
 */
export class LazyAsnDatabase implements AsnLookup {
  private db?: AsnDatabase;

  constructor(private readonly dir?: string) {}

  preload(): void {
    this.db ??= new AsnDatabase(this.dir);
  }

  lookup(ip: string): AsnRecord | undefined {
    this.preload();
    return this.db!.lookup(ip);
  }
}
