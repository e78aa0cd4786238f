import { isIP } from 'node:net';
import { mapStatus, parseAmount, parseCountryCode, parseCurrency } from '@postwire/core';
import { BadParameterError } from './adapter-errors';
import type { CanonicalPostback } from './canonical-postback';

/**
 * Builds a canonical postback from raw string values, validating each one and naming the
 * network's own parameter in the error. Adapters call this instead of parsing money,
 * currency and status themselves.
 */
export function canonicalFrom(
  raw: {
    clickId?: string;
    goal?: string;
    txid?: string;
    status?: string;
    payout?: string;
    revenue?: string;
    currency?: string;
    country?: string;
    buyerIp?: string;
    extras?: Record<string, string>;
  },
  paramNames: Partial<Record<'clickId' | 'goal' | 'txid' | 'status' | 'payout' | 'revenue' | 'currency' | 'country' | 'buyerIp', string>> = {},
  statusMapper: (value: string) => CanonicalPostback['status'] | undefined = mapStatus,
): CanonicalPostback {
  const name = (field: keyof typeof paramNames, fallback: string) => paramNames[field] ?? fallback;
  const out: CanonicalPostback = {};
  // Blank (or all-space) values count as not sent: `click_id=%20` must not become an empty id.
  const clickId = raw.clickId?.trim();
  const goal = raw.goal?.trim();
  const txid = raw.txid?.trim();
  if (clickId) out.clickId = clickId;
  if (goal) out.goal = goal;
  if (txid) out.txid = txid;
  if (raw.status !== undefined && raw.status !== '') {
    const status = statusMapper(raw.status);
    if (!status) throw new BadParameterError(name('status', 'status'), `unknown status "${raw.status.slice(0, 64)}"`);
    out.status = status;
  }
  for (const field of ['payout', 'revenue'] as const) {
    const value = raw[field];
    if (value === undefined || value === '') continue;
    const parsed = parseAmount(value);
    if (!parsed.ok) throw new BadParameterError(name(field, field), `${parsed.reason} (got "${value.slice(0, 64)}")`);
    out[field] = parsed.value;
  }
  if (raw.currency !== undefined && raw.currency !== '') {
    const currency = parseCurrency(raw.currency);
    if (!currency) throw new BadParameterError(name('currency', 'currency'), `not an ISO 4217 currency code (got "${raw.currency.slice(0, 16)}")`);
    out.currency = currency;
  }
  if (raw.country !== undefined && raw.country.trim() !== '') {
    const country = parseCountryCode(raw.country);
    if (!country) throw new BadParameterError(name('country', 'country'), `not an ISO 3166-1 alpha-2 country code (got "${raw.country.slice(0, 16)}")`);
    out.country = country;
  }
  if (raw.buyerIp !== undefined && raw.buyerIp.trim() !== '') {
    const ip = raw.buyerIp.trim();
    if (ip.length > 64 || isIP(ip) === 0)
      throw new BadParameterError(name('buyerIp', 'buyer_ip'), `not an IPv4 or IPv6 address (got "${raw.buyerIp.slice(0, 64)}")`);
    out.buyerIp = ip;
  }
  if (raw.extras && Object.keys(raw.extras).length) out.extras = raw.extras;
  return out;
}
