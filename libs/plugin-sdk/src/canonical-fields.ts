import { mapStatus, parseAmount, parseCurrency } from '@postwire/core';
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
    extras?: Record<string, string>;
  },
  paramNames: Partial<Record<'clickId' | 'goal' | 'txid' | 'status' | 'payout' | 'revenue' | 'currency', string>> = {},
  statusMapper: (value: string) => CanonicalPostback['status'] | undefined = mapStatus,
): CanonicalPostback {
  const name = (field: keyof typeof paramNames, fallback: string) => paramNames[field] ?? fallback;
  const out: CanonicalPostback = {};
  if (raw.clickId !== undefined && raw.clickId !== '') out.clickId = raw.clickId.trim();
  if (raw.goal !== undefined && raw.goal !== '') out.goal = raw.goal.trim();
  if (raw.txid !== undefined && raw.txid !== '') out.txid = raw.txid.trim();
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
  if (raw.extras && Object.keys(raw.extras).length) out.extras = raw.extras;
  return out;
}
