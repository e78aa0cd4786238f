import { createHash } from 'node:crypto';
import {
  EMAIL_NORMALISATIONS,
  PHONE_NORMALISATIONS,
  sha256NormalizedEmail,
  sha256NormalizedPhone,
  type PersonalNormalisation,
  type TargetPersonalData,
} from '@postwire/plugin-sdk';

/** One enhanced-conversions identifier, as the REST API spells it (`UserIdentifier`). */
export type GoogleUserIdentifier = { hashedEmail: string } | { hashedPhoneNumber: string };

/**
 * Google's normalisation before hashing (https://developers.google.com/google-ads/api/docs/conversions/upload-online):
 * email trimmed, lower case, gmail dots removed; phone in E.164 with its `+`. The runtime hands this
 * target the stored digests of exactly these.
 */
export const GOOGLE_NORMALISATION: PersonalNormalisation = { email: 'google', phone: 'e164' };

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

/** Google's email normalisation (the SDK's `google`): trimmed, lower case, gmail.com / googlemail.com dots removed; null when not an address. */
export const normalizeEmail = EMAIL_NORMALISATIONS[GOOGLE_NORMALISATION.email];

/** Google's phone normalisation (the SDK's `e164`); a number without its country code is null rather than guessed. */
export const normalizePhoneE164 = PHONE_NORMALISATIONS[GOOGLE_NORMALISATION.phone];

/** The hashed email and phone the network sent, as Google's user identifiers (raw values never leave this function; digests pass through). */
export function userIdentifiers(personal: TargetPersonalData): GoogleUserIdentifier[] {
  const out: GoogleUserIdentifier[] = [];
  const email = sha256NormalizedEmail(personal.email, GOOGLE_NORMALISATION.email);
  if (email) out.push({ hashedEmail: email });
  const phone = sha256NormalizedPhone(personal.phone, GOOGLE_NORMALISATION.phone);
  if (phone) out.push({ hashedPhoneNumber: phone });
  return out;
}
