import * as dns from 'node:dns';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import { buildConnector } from 'undici';
import { parseIpAddress } from './ip-address';
import type { IpAllowlist } from './ip-allowlist';

/** NAT64 well-known prefix (RFC 6052): `64:ff9b::/96` carries an IPv4 address in its last 32 bits. */
const NAT64 = ipaddr.IPv6.parse('64:ff9b::');
/** IANA's global unicast block; everything else in IPv6 is special-purpose or unassigned. */
const GLOBAL_UNICAST = ipaddr.IPv6.parse('2000::');

/**
 * True only for addresses on the public internet.
 *
 * This is an allowlist, not a denylist: IPv4 must be in ipaddr.js's `unicast` range (so loopback, RFC 1918,
 * link-local including the 169.254.169.254 cloud metadata endpoint, CGNAT 100.64/10, multicast, broadcast,
 * 0/8, documentation and reserved blocks are all refused), and IPv6 must be `unicast` inside 2000::/3 (which
 * also refuses ::1, ::, fc00::/7, fe80::/10, multicast, the deprecated IPv4-compatible `::a.b.c.d`, 6to4 and
 * Teredo tunnels). IPv4-mapped (`::ffff:a.b.c.d`) and NAT64 (`64:ff9b::a.b.c.d`) addresses are judged by
 * the IPv4 address they carry. Unparsable input is not public.
 */
export function isPublicAddress(ip: string): boolean {
  let address = typeof ip === 'string' ? parseIpAddress(ip) : null;
  if (!address) return false;
  if (address.kind() === 'ipv6' && (address as ipaddr.IPv6).match(NAT64, 96)) {
    address = ipaddr.fromByteArray(address.toByteArray().slice(12));
  }
  if (address.kind() === 'ipv4') return address.range() === 'unicast';
  return (address as ipaddr.IPv6).match(GLOBAL_UNICAST, 3) && address.range() === 'unicast';
}

/** True when Postwire may connect to `ip`: it is public, or the operator allowlisted it. */
export function isOutboundAddressAllowed(ip: string, allow: IpAllowlist | undefined): boolean {
  return isPublicAddress(ip) || (allow?.allows(ip) ?? false);
}

/** Refusal to connect to an internal address; `code` is `EADDRNOTALLOWED` like a Node network error. */
export class AddressNotAllowedError extends Error {
  readonly code = 'EADDRNOTALLOWED';

  constructor(
    readonly hostname: string,
    readonly addresses: readonly string[],
  ) {
    const shown = addresses.join(', ');
    const what = hostname === shown ? shown : `${hostname} (${shown})`;
    super(`Refusing to connect to ${what}: not a public address and not on the outbound allowlist`);
    this.name = 'AddressNotAllowedError';
  }
}

/** Callback of `dns.lookup`: one address and its family, or all addresses when `options.all` is set. */
export type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | dns.LookupAddress[], family?: number) => void;

/** Signature of `dns.lookup`, as `net.connect({ lookup })` calls it. */
export type LookupFunction = (hostname: string, options: dns.LookupOptions, callback: LookupCallback) => void;

/** The resolver behind a guarded lookup; `dns.lookup` unless a test or a custom resolver is given. */
export type ResolveAll = (
  hostname: string,
  options: dns.LookupAllOptions,
  callback: (err: NodeJS.ErrnoException | null, addresses: dns.LookupAddress[]) => void,
) => void;

const systemResolve: ResolveAll = (hostname, options, callback) => dns.lookup(hostname, options, callback);

/**
 * A `dns.lookup` replacement for outbound connections: it resolves the name, then drops every address
 * that {@link isOutboundAddressAllowed} refuses, and fails with {@link AddressNotAllowedError} when
 * none is left. Mixed answers (one public, one private) keep only the public ones.
 *
 * Given to `new undici.Agent({ connect: { lookup } })` the check runs on the address actually connected
 * to, at connect time, so DNS rebinding (public at validation, 127.0.0.1 at send) does not get through.
 * Node does not call `lookup` at all for IP literals such as `http://127.0.0.1/`; pair it with
 * {@link assertUrlAllowed}, or use {@link createGuardedConnector}, which covers both.
 */
export function createGuardedLookup(allow: IpAllowlist | undefined, resolve: ResolveAll = systemResolve): LookupFunction {
  return function guardedLookup(hostname: string, options: dns.LookupOptions | number | LookupCallback | undefined, maybeCallback?: LookupCallback): void {
    // Like dns.lookup, also accept (hostname, callback) and (hostname, family, callback).
    const callback = (typeof options === 'function' ? options : maybeCallback) as LookupCallback;
    const opts: dns.LookupOptions = typeof options === 'number' ? { family: options } : typeof options === 'object' && options !== null ? options : {};
    resolve(hostname, { ...opts, all: true }, (err, addresses) => {
      if (err) return callback(err, opts.all ? [] : '', undefined);
      const allowed = addresses.filter((a) => isOutboundAddressAllowed(a.address, allow));
      if (allowed.length === 0) {
        const refused = addresses.map((a) => a.address);
        return callback(new AddressNotAllowedError(hostname, refused.length ? refused : [hostname]), opts.all ? [] : '', undefined);
      }
      if (opts.all) return callback(null, allowed);
      callback(null, allowed[0].address, allowed[0].family);
    });
  };
}

/**
 * Checks a destination URL before sending: it must be http(s), and a literal IP host (which skips DNS
 * and therefore {@link createGuardedLookup}) must pass {@link isOutboundAddressAllowed}. Host names are
 * left to the guarded lookup, because only the connect-time answer counts. The URL parser has already
 * turned `http://2130706433/` and `http://0x7f.1/` into `127.0.0.1`, so those tricks are caught too.
 * Also useful when an admin saves a postback URL, to refuse it with a readable message early.
 *
 * @returns the parsed URL.
 * @throws {TypeError} for an invalid URL or another scheme; {@link AddressNotAllowedError} for a refused literal IP.
 */
export function assertUrlAllowed(url: string | URL, allow: IpAllowlist | undefined): URL {
  let parsed: URL;
  try {
    parsed = new URL(String(url));
  } catch {
    throw new TypeError('outbound URL is not a valid absolute URL');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new TypeError(`outbound URL must use http or https, not ${parsed.protocol}`);
  }
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  if (isIP(host) && !isOutboundAddressAllowed(host, allow)) throw new AddressNotAllowedError(host, [host]);
  return parsed;
}

/**
 * An undici connector that enforces the outbound policy for every connection, including the ones made
 * while following redirects: literal IP hosts are checked before connecting, host names through
 * {@link createGuardedLookup}. Use as `new Agent({ connect: createGuardedConnector(allow) })`.
 *
 * @param options further undici connect options (timeouts, TLS); a `lookup` in them is replaced.
 */
export function createGuardedConnector(allow: IpAllowlist | undefined, options: buildConnector.BuildOptions = {}): buildConnector.connector {
  const connect = buildConnector({ ...options, lookup: createGuardedLookup(allow) } as buildConnector.BuildOptions);
  return function guardedConnect(connectOptions, callback) {
    const host = connectOptions.hostname.replace(/^\[(.*)\]$/, '$1');
    if (isIP(host) && !isOutboundAddressAllowed(host, allow)) {
      // Asynchronously, like a real connection failure; undici does not expect the callback inside connect().
      queueMicrotask(() => callback(new AddressNotAllowedError(host, [host]), null));
      return;
    }
    connect(connectOptions, callback);
  };
}
