import { createHash } from 'node:crypto';
import type { TargetPersonalData } from '@postwire/plugin-sdk';

/** One enhanced-conversions identifier, as the REST API spells it (`UserIdentifier`). */
export type GoogleUserIdentifier = { hashedEmail: string } | { hashedPhoneNumber: string };

const SHA256_HEX = /^[0-9a-f]{64}$/;

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

/**
 * Google's normalisation of an email before hashing: trimmed, lower case, and for gmail.com and
 * googlemail.com the dots before the `@` removed. Null when it is not an address at all.
 */
export function normalizeEmail(raw: string): string | null {
  const email = raw.trim().toLowerCase();
  const at = email.lastIndexOf('@');
  if (at <= 0 || at === email.length - 1 || /\s/.test(email)) return null;
  const domain = email.slice(at + 1);
  const local = domain === 'gmail.com' || domain === 'googlemail.com' ? email.slice(0, at).replace(/\./g, '') : email.slice(0, at);
  return local ? `${local}@${domain}` : null;
}

/**
 * E.164 (`+` and the country code, 7 to 15 digits): spaces, dashes, dots, slashes and brackets are
 * dropped and a leading `00` becomes `+`. A number without its country code is null: adding one
 * would be a guess, and a wrong guess hashes to someone else's number.
 */
export function normalizePhoneE164(raw: string): string | null {
  let phone = raw.trim().replace(/[\s().\-/]/g, '');
  if (phone.startsWith('00')) phone = `+${phone.slice(2)}`;
  return /^\+[1-9]\d{6,14}$/.test(phone) ? phone : null;
}

/** A value that is already a SHA-256 hex digest is sent as it is (hashing it again would never match). */
function hashed(raw: string, normalize: (raw: string) => string | null): string | null {
  const trimmed = raw.trim().toLowerCase();
  if (SHA256_HEX.test(trimmed)) return trimmed;
  const normalized = normalize(raw);
  return normalized === null ? null : sha256Hex(normalized);
}

/** The hashed email and phone the network sent, as Google's user identifiers (raw values never leave this function). */
export function userIdentifiers(personal: TargetPersonalData): GoogleUserIdentifier[] {
  const out: GoogleUserIdentifier[] = [];
  const email = personal.email ? hashed(personal.email, normalizeEmail) : null;
  if (email) out.push({ hashedEmail: email });
  const phone = personal.phone ? hashed(personal.phone, normalizePhoneE164) : null;
  if (phone) out.push({ hashedPhoneNumber: phone });
  return out;
}
