import * as geoip from 'geoip-country';

/**
 * The buyer's country for the `geo_mismatch` signal: the network's own word when it sent one, else the
 * country of the buyer IP it sent, looked up offline in the same data as a click's country (so the two
 * compare like with like). Undefined when the network sent neither, or the IP has no country (private
 * ranges). The buyer IP itself is not kept.
 */
export function buyerCountry(postback: { country?: string; buyerIp?: string }): string | undefined {
  if (postback.country) return postback.country;
  if (!postback.buyerIp) return undefined;
  const address = postback.buyerIp.startsWith('::ffff:') ? postback.buyerIp.slice(7) : postback.buyerIp;
  try {
    return geoip.lookup(address)?.country || undefined;
  } catch {
    return undefined;
  }
}
