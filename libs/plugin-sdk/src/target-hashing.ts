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
 * The ways ad platforms normalise an email before hashing. The platforms disagree, and a digest of
 * one normalisation never matches another's, so the runtime keeps one digest per normalisation and
 * each target names its own (`ForwardingTarget.normalisation`). Each returns null for a value that
 * is not an address.
 */
export const EMAIL_NORMALISATIONS = {
  /** Trimmed, lower case (Meta, TikTok). */
  lowercase: (raw: string): string | null => {
    const email = raw.trim().toLowerCase();
    return /^[^\s@]+@[^\s@]+$/.test(email) ? email : null;
  },
  /** Trimmed, lower case, and for gmail.com / googlemail.com the dots before the `@` removed (Google Ads enhanced conversions). */
  google: (raw: string): string | null => {
    const email = EMAIL_NORMALISATIONS.lowercase(raw);
    if (email === null) return null;
    const at = email.lastIndexOf('@');
    const domain = email.slice(at + 1);
    const local = domain === 'gmail.com' || domain === 'googlemail.com' ? email.slice(0, at).replace(/\./g, '') : email.slice(0, at);
    return local ? `${local}@${domain}` : null;
  },
} as const;

/** The ways ad platforms normalise a phone number before hashing (see {@link EMAIL_NORMALISATIONS}). */
export const PHONE_NORMALISATIONS = {
  /** Digits only, with the country code, no leading zeros and no `+` (Meta). */
  digits: (raw: string): string | null => raw.replace(/\D+/g, '').replace(/^0+/, '') || null,
  /**
   * E.164 with its `+` and country code (Google Ads, TikTok): separators dropped, a leading `00` read
   * as `+`. A number without its country code is null: adding one would be a guess, and a wrong guess
   * hashes to someone else's number.
   */
  e164: (raw: string): string | null => {
    let phone = raw.trim().replace(/[\s().\-/]/g, '');
    if (phone.startsWith('00')) phone = `+${phone.slice(2)}`;
    return /^\+[1-9]\d{6,14}$/.test(phone) ? phone : null;
  },
} as const;

export type EmailNormalisation = keyof typeof EMAIL_NORMALISATIONS;
export type PhoneNormalisation = keyof typeof PHONE_NORMALISATIONS;

/** Which normalisation of the email and of the phone a target's platform matches on. */
export interface PersonalNormalisation {
  email: EmailNormalisation;
  phone: PhoneNormalisation;
}

/** The normalisation of a target that names none (Meta's, the first target's). */
export const DEFAULT_NORMALISATION: PersonalNormalisation = { email: 'lowercase', phone: 'digits' };

/**
 * What the runtime stores with a delivery instead of the buyer's personal data: one SHA-256 digest of
 * the email and of the phone per normalisation, and the external id's. Never a raw value.
 */
export interface PersonalDigests {
  email?: Partial<Record<EmailNormalisation, string>>;
  phone?: Partial<Record<PhoneNormalisation, string>>;
  externalId?: string;
}

function hashedWith(value: string | null | undefined, normalize: (raw: string) => string | null): string | undefined {
  const trimmed = value?.trim();
  if (!trimmed) return undefined;
  // A digest is passed through (lower case): hashing it again would never match.
  if (isSha256Hex(trimmed)) return trimmed.toLowerCase();
  const normalized = normalize(trimmed);
  return normalized ? sha256Hex(normalized) : undefined;
}

/**
 * An email normalised as `normalisation` says (Meta's by default), SHA-256 hex; undefined for an
 * empty, absent or malformed value. A value that already is a SHA-256 hex digest is passed through
 * (lower case): the runtime hands targets the digests it stored, never the raw address.
 */
export function sha256NormalizedEmail(email: string | null | undefined, normalisation: EmailNormalisation = DEFAULT_NORMALISATION.email): string | undefined {
  return hashedWith(email, EMAIL_NORMALISATIONS[normalisation]);
}

/** A phone number normalised as `normalisation` says (Meta's digits by default), SHA-256 hex; digests pass through, as for emails. */
export function sha256NormalizedPhone(phone: string | null | undefined, normalisation: PhoneNormalisation = DEFAULT_NORMALISATION.phone): string | undefined {
  return hashedWith(phone, PHONE_NORMALISATIONS[normalisation]);
}

/** Any other identifier (an external id): trimmed, SHA-256 hex; digests pass through. */
export function sha256Trimmed(value: string | null | undefined): string | undefined {
  return hashedWith(value, (v) => v);
}

/** The digest of `value` under every normalisation of `table` that gives one; undefined when none does. */
function digestsBy<K extends string>(
  value: string | undefined,
  table: Record<K, unknown>,
  hash: (value: string | undefined, key: K) => string | undefined,
): Partial<Record<K, string>> | undefined {
  const out: Partial<Record<K, string>> = {};
  for (const key of Object.keys(table) as K[]) {
    const digest = hash(value, key);
    if (digest) out[key] = digest;
  }
  return Object.keys(out).length ? out : undefined;
}

/**
 * The personal data of a conversion with every value hashed, once per normalisation a target may
 * name: what the runtime stores with a delivery, so no raw email or phone is ever written down.
 */
export function hashPersonalData(personal: { email?: string; phone?: string; externalId?: string }): PersonalDigests {
  const out: PersonalDigests = {};
  const email = digestsBy(personal.email, EMAIL_NORMALISATIONS, (v, key) => sha256NormalizedEmail(v, key));
  const phone = digestsBy(personal.phone, PHONE_NORMALISATIONS, (v, key) => sha256NormalizedPhone(v, key));
  const externalId = sha256Trimmed(personal.externalId);
  if (email) out.email = email;
  if (phone) out.phone = phone;
  if (externalId) out.externalId = externalId;
  return out;
}

/**
 * The stored digests a target receives as its `personal` data: the digest of its own normalisation.
 * A digest stored as a bare string (deliveries written before digests were kept per normalisation)
 * is the default normalisation's, so only a target using that one receives it.
 */
export function personalDigestsFor(
  digests: PersonalDigests | { email?: unknown; phone?: unknown; externalId?: unknown },
  normalisation: PersonalNormalisation = DEFAULT_NORMALISATION,
): { email?: string; phone?: string; externalId?: string } {
  const pick = (value: unknown, key: string, defaultKey: string): string | undefined => {
    if (typeof value === 'string') return key === defaultKey ? value : undefined;
    if (value && typeof value === 'object') {
      const digest = (value as Record<string, unknown>)[key];
      return typeof digest === 'string' ? digest : undefined;
    }
    return undefined;
  };
  const out: { email?: string; phone?: string; externalId?: string } = {};
  const email = pick(digests.email, normalisation.email, DEFAULT_NORMALISATION.email);
  const phone = pick(digests.phone, normalisation.phone, DEFAULT_NORMALISATION.phone);
  if (email) out.email = email;
  if (phone) out.phone = phone;
  if (typeof digests.externalId === 'string') out.externalId = digests.externalId;
  return out;
}

const EMAIL_PARAM = /^(.*[_-])?e-?mail(_?address)?$/i;
const PHONE_PARAM = /^(.*[_-])?(phone|tel|mobile|msisdn)(_?(no|number))?$/i;

/**
 * The SHA-256 digests (one per normalisation) of the buyer's email and phone a postback carried (a query
 * or top-level body field named like `email`, `buyer_email`, `phone`, `phone_no`), for forwarding
 * targets; undefined when none. Called while the request is in memory, so only the digests go on.
 */
export function personalDigestsOf(params: Readonly<Record<string, unknown>>): PersonalDigests | undefined {
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
