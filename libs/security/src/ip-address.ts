import { isIPv4, isIPv6 } from 'node:net';
import ipaddr from 'ipaddr.js';

/** A parsed IP address; IPv4-mapped IPv6 addresses are always unwrapped to {@link ipaddr.IPv4}. */
export type IpAddress = ipaddr.IPv4 | ipaddr.IPv6;

/**
 * Parses an IP address strictly, or returns `null`.
 *
 * Only dotted-quad IPv4 and standard IPv6 text are accepted. ipaddr.js alone also accepts
 * `127.1`, `0x7f.0.0.1`, `2130706433` and reads `010.0.0.1` as octal 8.0.0.1; those forms only
 * ever come from someone trying to confuse an allowlist, so they are refused rather than
 * interpreted. Zone ids (`fe80::1%eth0`) are refused for the same reason. `::ffff:1.2.3.4` is
 * returned as the IPv4 address 1.2.3.4 so that it matches IPv4 rules: dual-stack sockets
 * report IPv4 peers in that form.
 */
export function parseIpAddress(text: string): IpAddress | null {
  if (isIPv4(text)) return ipaddr.IPv4.parse(text);
  if (!isIPv6(text) || text.includes('%')) return null;
  // ipaddr.js reads `::a.b.c.d` (IPv4-compatible, ::/96) as `::ffff:a.b.c.d`; the OS does not, and
  // glibc prints such DNS answers in exactly that form, so it is built from its bytes instead.
  const compatible = /^::(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (compatible) return ipaddr.fromByteArray([...new Array(12).fill(0), ...ipaddr.IPv4.parse(compatible[1]).toByteArray()]);
  const v6 = ipaddr.IPv6.parse(text);
  return v6.isIPv4MappedAddress() ? v6.toIPv4Address() : v6;
}

/** The canonical text of an address (`1.2.3.4`, RFC 5952 for IPv6) so logs and rate-limit keys agree. */
export function formatIpAddress(address: IpAddress): string {
  return address.kind() === 'ipv4' ? address.toString() : (address as ipaddr.IPv6).toRFC5952String();
}
