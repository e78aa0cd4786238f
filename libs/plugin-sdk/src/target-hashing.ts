import { createHash } from 'node:crypto';

/** A value that is already a SHA-256 hex digest (64 hex digits). */
const SHA256_HEX = /^[0-9a-f]{64}$/i;

/** Whether `value` is a SHA-256 hex digest, as the hashing helpers produce. */
export function isSha256Hex(value: string): boolean {
  return SHA256_HEX.test(value);
}

function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

/**
 * An email normalised as the ad platforms document it (trimmed, lower case), SHA-256 hex; undefined
 * for an empty or absent value. A value that already is a SHA-256 hex digest is passed through (lower
 * case): the runtime hands targets the hashes it stored, never the raw address, once the postback
 * that carried it is gone.
 */
export function sha256NormalizedEmail(email: string | null | undefined): string | undefined {
  const normalized = email?.trim().toLowerCase();
  if (!normalized) return undefined;
  return isSha256Hex(normalized) ? normalized : sha256Hex(normalized);
}

/**
 * A phone number normalised as the ad platforms document it (digits only, with the country code, no
 * leading zeros, no `+`), SHA-256 hex; undefined when no digit is left. Digests pass through, as for emails.
 */
export function sha256NormalizedPhone(phone: string | null | undefined): string | undefined {
  const trimmed = phone?.trim();
  if (!trimmed) return undefined;
  if (isSha256Hex(trimmed)) return trimmed.toLowerCase();
  const digits = trimmed.replace(/\D+/g, '').replace(/^0+/, '');
  return digits ? sha256Hex(digits) : undefined;
}

/** Any other identifier (an external id): trimmed, SHA-256 hex; digests pass through. */
export function sha256Trimmed(value: string | null | undefined): string | undefined {
  const trimmed = value?.trim();
  if (!trimmed) return undefined;
  return isSha256Hex(trimmed) ? trimmed.toLowerCase() : sha256Hex(trimmed);
}

/**
 * The personal data of a conversion with every value hashed: what the runtime stores with a
 * delivery (and hands to targets at send time), so no raw email or phone is ever written down.
 */
export function hashPersonalData(personal: { email?: string; phone?: string; externalId?: string }): { email?: string; phone?: string; externalId?: string } {
  const out: { email?: string; phone?: string; externalId?: string } = {};
  const email = sha256NormalizedEmail(personal.email);
  const phone = sha256NormalizedPhone(personal.phone);
  const externalId = sha256Trimmed(personal.externalId);
  if (email) out.email = email;
  if (phone) out.phone = phone;
  if (externalId) out.externalId = externalId;
  return out;
}

const EMAIL_PARAM = /^(.*[_-])?e-?mail(_?address)?$/i;
const PHONE_PARAM = /^(.*[_-])?(phone|tel|mobile|msisdn)(_?(no|number))?$/i;

/**
 * The SHA-256 digests of the buyer's email and phone a postback carried (a query or top-level body field
 * named like `email`, `buyer_email`, `phone`, `phone_no`), for forwarding targets; undefined when none.
 * Called while the request is in memory, so only the digests go on.
 */
export function personalDigestsOf(params: Readonly<Record<string, unknown>>): { email?: string; phone?: string } | undefined {
  const fields: Array<[string, unknown]> = Object.entries(params);
  const body = params.body;
  if (body && typeof body === 'object' && !Array.isArray(body)) fields.push(...Object.entries(body as Record<string, unknown>));
  let email: string | undefined;
  let phone: string | undefined;
  for (const [name, value] of fields) {
    if (typeof value !== 'string' || !value.trim()) continue;
    if (!email && EMAIL_PARAM.test(name) && value.includes('@')) email = value;
    else if (!phone && PHONE_PARAM.test(name)) phone = value;
  }
  const digests = hashPersonalData({ email, phone });
  return Object.keys(digests).length ? digests : undefined;
}
