import { createHash } from 'node:crypto';
import {
  EMAIL_NORMALISATIONS,
  PHONE_NORMALISATIONS,
  sha256NormalizedEmail,
  sha256NormalizedPhone,
  sha256Trimmed,
  type PersonalNormalisation,
  type TargetConversion,
} from '@postwire/plugin-sdk';

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

/**
 * TikTok's normalisation before hashing: email trimmed and lower case; phone in E.164 with its `+`
 * and country code ("+12133734253", per the Events API 2.0 parameter list). The runtime hands this
 * target the stored digests of exactly these.
 */
export const TIKTOK_NORMALISATION: PersonalNormalisation = { email: 'lowercase', phone: 'e164' };

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

/** TikTok's normalisation of an email (the SDK's `lowercase`): trimmed and lower case. Null when it is not an address. */
export const normalizeEmail = EMAIL_NORMALISATIONS[TIKTOK_NORMALISATION.email];

/** TikTok's phone normalisation (the SDK's `e164`); without a country code the number is left out rather than guessed. */
export const normalizePhoneE164 = PHONE_NORMALISATIONS[TIKTOK_NORMALISATION.phone];

/** The user fields TikTok matches on, from the click and the network's personal data (hashed here; raw values stay in memory). */
export function tiktokUser(conversion: TargetConversion): TikTokUser {
  const { click, personal } = conversion;
  const user: TikTokUser = {
    ttclid: click.identifiers.ttclid?.trim(),
    ttp: click.identifiers.ttp?.trim(),
    email: sha256NormalizedEmail(personal.email, TIKTOK_NORMALISATION.email),
    phone: sha256NormalizedPhone(personal.phone, TIKTOK_NORMALISATION.phone),
    external_id: sha256Trimmed(personal.externalId),
    ip: click.ip ?? undefined,
    user_agent: click.userAgent ?? undefined,
  };
  return Object.fromEntries(Object.entries(user).filter(([, v]) => v !== undefined && v !== '')) as TikTokUser;
}
