import ipaddr from 'ipaddr.js';
import { formatIpAddress, IpAddress, parseIpAddress } from './ip-address';

type Range = [IpAddress, number];

/** Thrown by the {@link IpAllowlist} constructor; `problems` has one readable line per bad entry. */
export class IpAllowlistError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid IP allowlist: ${problems.join('; ')}`);
    this.name = 'IpAllowlistError';
  }
}

function parseEntry(raw: unknown): Range | string {
  // JSON.stringify so an entry holding control characters cannot forge lines in a log or an API error.
  const shown = JSON.stringify(raw) ?? String(raw);
  if (typeof raw !== 'string') return `${shown} is not a string`;
  const entry = raw.trim();
  if (entry === '') return `${shown} is empty`;
  const slash = entry.indexOf('/');
  const addressText = slash === -1 ? entry : entry.slice(0, slash);
  const address = parseIpAddress(addressText);
  if (!address) return `${shown} is not an IPv4 or IPv6 address or CIDR range`;
  const wasMapped = address.kind() === 'ipv4' && addressText.includes(':');
  const maxBits = address.kind() === 'ipv4' ? 32 : 128;
  let bits = maxBits;
  if (slash !== -1) {
    const prefixText = entry.slice(slash + 1);
    // Digits only, no leading zeros: `/08` or `/+8` is a typo, not a prefix length.
    if (!/^(0|[1-9]\d{0,2})$/.test(prefixText)) return `${shown} has an invalid prefix length`;
    bits = Number(prefixText);
    // An IPv4-mapped range (::ffff:10.0.0.0/104) is stored as the IPv4 range it covers,
    // because addresses are unwrapped to IPv4 before matching.
    if (wasMapped) {
      if (bits < 96 || bits > 128) return `${shown} must have a prefix length between 96 and 128`;
      bits -= 96;
    }
    if (bits > maxBits) return `${shown} has a prefix length above ${maxBits}`;
  }
  const network = networkAddress(address, bits);
  if (network.toString() !== address.toString()) {
    // Matching would ignore the host bits anyway, but `1.2.3.4/0` (meaning "everything") is far
    // more often a typo than an intent, so the admin has to write the network out.
    return `${shown} has host bits set; did you mean ${formatIpAddress(network)}/${bits}?`;
  }
  return [address, bits];
}

function networkAddress(address: IpAddress, bits: number): IpAddress {
  const bytes = address.toByteArray();
  for (let i = 0; i < bytes.length; i++) {
    const keep = Math.max(0, Math.min(8, bits - i * 8));
    bytes[i] &= (0xff << (8 - keep)) & 0xff;
  }
  return ipaddr.fromByteArray(bytes);
}

/**
 * A set of IPv4 and IPv6 CIDR ranges (single addresses count as /32 or /128).
 *
 * Addresses are parsed strictly (see {@link parseIpAddress}); IPv4-mapped IPv6 addresses such as
 * `::ffff:1.2.3.4` match the IPv4 ranges. An empty list allows nothing.
 */
export class IpAllowlist {
  private readonly v4: Array<[ipaddr.IPv4, number]> = [];
  private readonly v6: Array<[ipaddr.IPv6, number]> = [];
  /** The ranges in canonical `address/bits` form, in the order given. */
  readonly entries: readonly string[];

  /** @throws {IpAllowlistError} naming every bad entry. */
  constructor(entries: Iterable<string>) {
    const problems: string[] = [];
    const canonical: string[] = [];
    for (const raw of entries) {
      const parsed = parseEntry(raw);
      if (typeof parsed === 'string') {
        problems.push(parsed);
        continue;
      }
      const [address, bits] = parsed;
      if (address.kind() === 'ipv4') this.v4.push([address as ipaddr.IPv4, bits]);
      else this.v6.push([address as ipaddr.IPv6, bits]);
      canonical.push(`${formatIpAddress(address)}/${bits}`);
    }
    if (problems.length > 0) throw new IpAllowlistError(problems);
    this.entries = canonical;
  }

  /** Checks entries without throwing, for the admin API: one message per bad entry, `[]` when all are fine. */
  static validate(entries: Iterable<string>): string[] {
    const problems: string[] = [];
    for (const raw of entries) {
      const parsed = parseEntry(raw);
      if (typeof parsed === 'string') problems.push(parsed);
    }
    return problems;
  }

  /** True when `ip` is a valid address inside one of the ranges; anything unparsable is refused. */
  allows(ip: string): boolean {
    const address = typeof ip === 'string' ? parseIpAddress(ip) : null;
    if (!address) return false;
    if (address.kind() === 'ipv4') return this.v4.some((range) => (address as ipaddr.IPv4).match(range));
    return this.v6.some((range) => (address as ipaddr.IPv6).match(range));
  }

  /** Number of ranges. */
  get size(): number {
    return this.entries.length;
  }
}
