import { formatIpAddress, parseIpAddress } from './ip-address';
import type { IpAllowlist } from './ip-allowlist';

/**
 * Reads one X-Forwarded-For hop. Besides bare addresses it takes `1.2.3.4:5678` and `[2001:db8::1]:443`
 * because some load balancers (Azure Application Gateway among them) append the peer's port;
 * both forms are unambiguous. Anything else (`unknown`, an obfuscated `127.1`, an empty hop) is malformed.
 */
function parseHop(hop: string): string | null {
  let text = hop.trim();
  const bracketed = /^\[([^\]]+)\](?::\d{1,5})?$/.exec(text);
  if (bracketed) text = bracketed[1];
  else if (/^[\d.]+:\d{1,5}$/.test(text)) text = text.slice(0, text.indexOf(':'));
  const address = parseIpAddress(text);
  return address ? formatIpAddress(address) : null;
}

/**
 * The address of the client that made a request.
 *
 * X-Forwarded-For is only read when the TCP peer itself is a trusted proxy: anyone else can put
 * whatever they like in that header. The header is then walked from the right (the hop our proxy
 * appended) to the left, skipping further trusted proxies; the first untrusted hop is the client.
 * A malformed hop ends the walk and the last good address is used, which is a trusted proxy. That is
 * deliberate: a broken chain must never let text from further left (which the client wrote) through.
 *
 * @param socketIp the TCP peer address (`request.socket.remoteAddress`).
 * @param xForwardedFor the header value; repeated headers may be given as an array (they are one list).
 * @param trustedProxies the proxies in front of Postwire; `undefined` or empty means "no proxy, ignore the header".
 * @returns the client address in canonical form (IPv4-mapped IPv6 unwrapped to IPv4); the socket address
 *   unchanged if it cannot be parsed.
 */
export function resolveClientIp(socketIp: string, xForwardedFor: string | string[] | undefined, trustedProxies: IpAllowlist | undefined): string {
  const peer = parseIpAddress(socketIp);
  if (!peer) return socketIp;
  let current = formatIpAddress(peer);
  if (!trustedProxies || !trustedProxies.allows(current) || xForwardedFor === undefined) return current;
  const hops = (Array.isArray(xForwardedFor) ? xForwardedFor.join(',') : xForwardedFor).split(',');
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = parseHop(hops[i]);
    if (hop === null) return current;
    current = hop;
    if (!trustedProxies.allows(hop)) return hop;
  }
  return current;
}
