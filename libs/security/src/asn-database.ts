import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
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

/**
 * The shipped data set compiled by the build (`scripts/compile-asn-data.js`), beside this module in dist/. Absent
 * when running from the sources (tests), where the CSV files are read instead.
 */
export const SHIPPED_COMPILED_ASN_FILE = join(__dirname, 'asn-shipped.bin');

interface Table<T> {
  starts: T;
  ends: T;
  asns: Uint32Array;
}

/**
 * IP → ASN from a local copy of an IP-to-ASN data set, held in memory as sorted typed arrays (about
 * 10 MB with the organisation names) and looked up by binary search: no network at run time. IPv6 ranges
 * are kept by their upper 64 bits, which is the finest any routed prefix is announced at.
 *
 * Read once at boot. Parsing the CSV files costs ~0.6 s of CPU and leaves 10–30 MB more RSS behind (the files are
 * 32 MB); the build therefore compiles the shipped set into the arrays' own bytes, which load in milliseconds
 * as views of one file. Any folder in the same CSV format works too, so an operator updates the data without
 * upgrading Postwire (docs/fraud.md); a compiled file made from other files than the folder now holds is not used.
 */
export class AsnDatabase implements AsnLookup {
  private readonly v4: Table<Uint32Array>;
  private readonly v6: Table<BigUint64Array>;
  private readonly names: AsnNames;
  /** Where the tables were read from. */
  readonly readFrom: 'compiled file' | 'CSV files';

  constructor(dir: string = shippedAsnDataDir(), compiledFile: string | undefined = dir === shippedAsnDataDir() ? SHIPPED_COMPILED_ASN_FILE : undefined) {
    const compiled = compiledFile ? readCompiled(compiledFile, sourceOf(dir)) : undefined;
    if (compiled) {
      ({ v4: this.v4, v6: this.v6, names: this.names } = compiled);
      this.readFrom = 'compiled file';
      return;
    }
    this.readFrom = 'CSV files';
    const names = new Map<number, string>();
    this.v4 = parseCsv(join(dir, ASN_FILES.ipv4), digits, (len) => new Uint32Array(len), names);
    this.v6 = parseCsv(join(dir, ASN_FILES.ipv6), upper64Bits, (len) => new BigUint64Array(len), names);
    this.names = packNames(names);
  }

  /** Writes the tables read from `dir` as a compiled file for `new AsnDatabase(dir, file)` (the build does this for the shipped set). */
  static compile(dir: string, file: string): AsnDatabase {
    const db = new AsnDatabase(dir, undefined);
    writeFileSync(file, db.compiled(sourceOf(dir)));
    return db;
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
    return asn === undefined ? undefined : { asn, organisation: nameOf(this.names, asn) };
  }

  private compiled(source: AsnSource): Buffer {
    const sections = [
      this.v6.starts,
      this.v6.ends,
      this.v4.starts,
      this.v4.ends,
      this.v4.asns,
      this.v6.asns,
      this.names.asns,
      this.names.offsets,
      this.names.bytes,
    ];
    const header = Buffer.from(
      JSON.stringify({ source, v4: this.v4.asns.length, v6: this.v6.asns.length, names: this.names.asns.length, nameBytes: this.names.bytes.length }),
    );
    // The 64-bit arrays first, after a header padded to 8 bytes, so every view of the file is aligned.
    const headerSize = align8(COMPILED_MAGIC.length + 4 + header.length);
    const out = Buffer.alloc(headerSize + sections.reduce((sum, a) => sum + a.byteLength, 0));
    out.write(COMPILED_MAGIC, 0, 'latin1');
    out.writeUInt32LE(header.length, COMPILED_MAGIC.length);
    header.copy(out, COMPILED_MAGIC.length + 4);
    let at = headerSize;
    for (const a of sections) {
      out.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), at);
      at += a.byteLength;
    }
    return out;
  }
}

function parseCsv<T extends Uint32Array | BigUint64Array>(
  file: string,
  num: (bytes: Buffer, from: number, to: number) => number | bigint,
  make: (len: number) => T,
  names: Map<number, string>,
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
      if (!names.has(asn)) names.set(asn, unquote(bytes.toString('utf8', c + 1, end)));
      n++;
    }
    start = end + 1;
  }
  return { starts: starts.subarray(0, n) as T, ends: ends.subarray(0, n) as T, asns: asns.subarray(0, n) };
}

/** Organisation names by ASN: the ASNs sorted, and each name's UTF-8 bytes at `bytes[offsets[i], offsets[i + 1])`. */
interface AsnNames {
  asns: Uint32Array;
  offsets: Uint32Array;
  bytes: Uint8Array;
}

function packNames(names: Map<number, string>): AsnNames {
  const asns = Uint32Array.from(names.keys()).sort();
  const encoded = Array.from(asns, (asn) => Buffer.from(names.get(asn)!, 'utf8'));
  const offsets = new Uint32Array(asns.length + 1);
  encoded.forEach((name, i) => (offsets[i + 1] = offsets[i] + name.length));
  return { asns, offsets, bytes: Buffer.concat(encoded) };
}

function nameOf(names: AsnNames, asn: number): string {
  let lo = 0;
  let hi = names.asns.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (names.asns[mid] === asn)
      return Buffer.from(names.bytes.buffer, names.bytes.byteOffset + names.offsets[mid], names.offsets[mid + 1] - names.offsets[mid]).toString('utf8');
    if (names.asns[mid] < asn) lo = mid + 1;
    else hi = mid - 1;
  }
  return '';
}

/** What a compiled file was made from: it is used only while the folder still holds the same files. */
interface AsnSource {
  /** The data set's package version, when the folder is an npm package. */
  version: string | null;
  ipv4Bytes: number;
  ipv6Bytes: number;
}

function sourceOf(dir: string): AsnSource {
  const packageFile = join(dir, 'package.json');
  const version = existsSync(packageFile) ? ((JSON.parse(readFileSync(packageFile, 'utf8')) as { version?: string }).version ?? null) : null;
  return { version, ipv4Bytes: statSync(join(dir, ASN_FILES.ipv4)).size, ipv6Bytes: statSync(join(dir, ASN_FILES.ipv6)).size };
}

const COMPILED_MAGIC = 'POSTWIRE-ASN-1\n';

const align8 = (n: number): number => Math.ceil(n / 8) * 8;

/** The tables of a compiled file, as views of its bytes; `undefined` when it is missing, of another format or made from other files. */
function readCompiled(file: string, source: AsnSource): { v4: Table<Uint32Array>; v6: Table<BigUint64Array>; names: AsnNames } | undefined {
  if (!existsSync(file)) return undefined;
  const read = readFileSync(file);
  // The sections are 8-byte aligned from the file's start; a buffer that does not start on such a boundary is copied
  // into one of its own (Buffer.alloc never shares Node's pool).
  const bytes = read.byteOffset % 8 === 0 ? read : Buffer.alloc(read.length, read);
  if (bytes.toString('latin1', 0, COMPILED_MAGIC.length) !== COMPILED_MAGIC) return undefined;
  const headerLength = bytes.readUInt32LE(COMPILED_MAGIC.length);
  const header = JSON.parse(bytes.toString('utf8', COMPILED_MAGIC.length + 4, COMPILED_MAGIC.length + 4 + headerLength)) as {
    source: AsnSource;
    v4: number;
    v6: number;
    names: number;
    nameBytes: number;
  };
  if (JSON.stringify(header.source) !== JSON.stringify(source)) return undefined;
  // A file cut short (a build stopped half-way, a full disk) is not used: the CSV files are read instead.
  const sections = 8 * 2 * header.v6 + 4 * (3 * header.v4 + header.v6 + 2 * header.names + 1) + header.nameBytes;
  if (bytes.length !== align8(COMPILED_MAGIC.length + 4 + headerLength) + sections) return undefined;
  const buffer = bytes.buffer;
  let at = bytes.byteOffset + align8(COMPILED_MAGIC.length + 4 + headerLength);
  const take = <T>(make: (buffer: ArrayBufferLike, offset: number, length: number) => T, length: number, width: number): T => {
    const view = make(buffer, at, length);
    at += length * width;
    return view;
  };
  const u64 = (b: ArrayBufferLike, o: number, n: number) => new BigUint64Array(b, o, n);
  const u32 = (b: ArrayBufferLike, o: number, n: number) => new Uint32Array(b, o, n);
  const v6Starts = take(u64, header.v6, 8);
  const v6Ends = take(u64, header.v6, 8);
  const v4 = { starts: take(u32, header.v4, 4), ends: take(u32, header.v4, 4), asns: take(u32, header.v4, 4) };
  const v6 = { starts: v6Starts, ends: v6Ends, asns: take(u32, header.v6, 4) };
  const names = {
    asns: take(u32, header.names, 4),
    offsets: take(u32, header.names + 1, 4),
    bytes: take((b, o, n) => new Uint8Array(b, o, n), header.nameBytes, 1),
  };
  return { v4, v6, names };
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
