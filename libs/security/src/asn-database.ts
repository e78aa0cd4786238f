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
 * Read once at boot (about 0.7 s of CPU); the folder can be any copy in the same format, so an operator
 * updates the data without upgrading Postwire (docs/fraud.md).
 */
export class AsnDatabase implements AsnLookup {
  private readonly v4: Table<Uint32Array>;
  private readonly v6: Table<BigUint64Array>;
  private readonly names = new Map<number, string>();

  constructor(dir: string = shippedAsnDataDir()) {
    this.v4 = this.load(join(dir, ASN_FILES.ipv4), digits, (len) => new Uint32Array(len));
    this.v6 = this.load(join(dir, ASN_FILES.ipv6), upper64Bits, (len) => new BigUint64Array(len));
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

  private load<T extends Uint32Array | BigUint64Array>(
    file: string,
    num: (bytes: Buffer, from: number, to: number) => number | bigint,
    make: (len: number) => T,
  ): Table<T> {
    // Parsed from the bytes: neither the file as one string nor a string per line or number is ever made, so
    // loading costs little more memory than the arrays it fills (the tracker's RSS budget is tight), and
    // about a fifth of the CPU of parsing strings (every process that scores clicks pays it at boot).
    const bytes = readFileSync(file);
    let rows = 1;
    for (let at = bytes.indexOf(NEWLINE); at >= 0; at = bytes.indexOf(NEWLINE, at + 1)) rows++;
    const starts = make(rows);
    const ends = make(rows);
    const asns = new Uint32Array(rows);
    const cell = starts as unknown as Array<number | bigint>;
    const cellEnd = ends as unknown as Array<number | bigint>;
    let n = 0;
    for (let start = 0; start < bytes.length;) {
      // Found by a loop, not Buffer#indexOf: the fields are a few dozen bytes, shorter than a native call costs.
      // A line with fewer than four fields is skipped whole (each search stops at its line's end).
      const a = nextComma(bytes, start);
      const b = bytes[a] === COMMA ? nextComma(bytes, a + 1) : a;
      const c = bytes[b] === COMMA ? nextComma(bytes, b + 1) : b;
      const complete = bytes[c] === COMMA;
      const end = lineEnd(bytes, c);
      if (complete) {
        const asn = digits(bytes, b + 1, c);
        cell[n] = num(bytes, start, a);
        cellEnd[n] = num(bytes, a + 1, b);
        asns[n] = asn;
        if (!this.names.has(asn)) this.names.set(asn, unquote(bytes.toString('utf8', c + 1, end)));
        n++;
      }
      start = end + 1;
    }
    return { starts: starts.subarray(0, n) as T, ends: ends.subarray(0, n) as T, asns: asns.subarray(0, n) };
  }
}

const NEWLINE = 0x0a;
const COMMA = 0x2c;

/** Where the next comma is from `from`, or the end of the line (or of `bytes`) when the line has none. */
function nextComma(bytes: Buffer, from: number): number {
  let i = from;
  while (i < bytes.length && bytes[i] !== COMMA && bytes[i] !== NEWLINE) i++;
  return i;
}

function lineEnd(bytes: Buffer, from: number): number {
  let i = from;
  while (i < bytes.length && bytes[i] !== NEWLINE) i++;
  return i;
}

/** The decimal number in `bytes[from, to)`. */
function digits(bytes: Buffer, from: number, to: number): number {
  let value = 0;
  for (let i = from; i < to; i++) value = value * 10 + (bytes[i] - 0x30);
  return value;
}

const TEN_POW_15 = 10n ** 15n;

/**
 * The upper 64 bits of the 128-bit decimal number in `bytes[from, to)` (an IPv6 address, up to 39 digits):
 * read as three exact chunks of at most 15 digits each, so only three small BigInts are made per number.
 */
function upper64Bits(bytes: Buffer, from: number, to: number): bigint {
  // The first chunk takes the digits beyond whole 15-digit chunks; from==to (an empty field) reads as 0.
  let end = from + ((to - from - 1) % 15) + 1;
  let value = BigInt(digits(bytes, from, end));
  for (; end < to; end += 15) value = value * TEN_POW_15 + BigInt(digits(bytes, end, end + 15));
  return value >> 64n;
}

/**
 * The ASN of the last range starting at or before `value`, when `value` is inside it (the files are
 * sorted by start). Two copies, one per array type: one function over both would see numbers and
 * bigints at the same site and lose V8's fast path for typed-array reads.
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
