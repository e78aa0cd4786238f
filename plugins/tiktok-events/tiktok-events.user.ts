import { createHash } from 'node:crypto';
import type { TargetConversion } from '@postwire/plugin-sdk';

/**
 * The `user` object of an Events API 2.0 event. Email, phone and external_id are SHA-256 hex of
 * the normalised value ("It must be hashed with SHA-256 on the client side"); ttclid, ttp, ip and
 * user_agent are sent as they are.
 */
export interface TikTokUser {
  ttclid?: string;
  ttp?: string;
  email?: string;
  phone?: string;
  external_id?: string;
  ip?: string;
  user_agent?: string;
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

/** TikTok's normalisation of an email: trimmed and lower case. Null when it is not an address. */
export function normalizeEmail(raw: string): string | null {
  const email = raw.trim().toLowerCase();
  return /^[^\s@]+@[^\s@]+$/.test(email) ? email : null;
}

/**
 * E.164 with its `+` and country code, separators dropped, `00` read as `+`. Without a country
 * code the number is left out rather than guessed.
 */
export function normalizePhoneE164(raw: string): string | null {
  let phone = raw.trim().replace(/[\s().\-/]/g, '');
  if (phone.startsWith('00')) phone = `+${phone.slice(2)}`;
  return /^\+[1-9]\d{6,14}$/.test(phone) ? phone : null;
}

/** Hashes a normalised value; a value that already is a SHA-256 hex digest is kept (hashing twice never matches). */
function hashed(raw: string, normalize: (raw: string) => string | null): string | undefined {
  const lower = raw.trim().toLowerCase();
  if (SHA256_HEX.test(lower)) return lower;
  const normalized = normalize(raw);
  return normalized === null ? undefined : sha256Hex(normalized);
}

/** The user fields TikTok matches on, from the click and the network's personal data (hashed here; raw values stay in memory). */
export function tiktokUser(conversion: TargetConversion): TikTokUser {
  const { click, personal } = conversion;
  const user: TikTokUser = {
    ttclid: click.identifiers.ttclid?.trim(),
    ttp: click.identifiers.ttp?.trim(),
    email: personal.email ? hashed(personal.email, normalizeEmail) : undefined,
    phone: personal.phone ? hashed(personal.phone, normalizePhoneE164) : undefined,
    external_id: personal.externalId ? hashed(personal.externalId, (v) => v.trim() || null) : undefined,
    ip: click.ip ?? undefined,
    user_agent: click.userAgent ?? undefined,
  };
  return Object.fromEntries(Object.entries(user).filter(([, v]) => v !== undefined && v !== '')) as TikTokUser;
}
