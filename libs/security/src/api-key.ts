import { createHash, randomBytes } from 'node:crypto';
import { constantTimeEqual } from './constant-time';

/**
 * Known key kinds; any other lower-case prefix is accepted too. (`string & NonNullable<unknown>` keeps
 * editor completion for the known prefixes; a bare `| string` would swallow them.)
 */
export type ApiKeyPrefix = 'pw_admin' | 'pw_net' | (string & NonNullable<unknown>);

/** Random bytes per key: 256 bits, well above the 192-bit floor, as 43 base64url characters. */
const KEY_BYTES = 32;

/**
 * A new API key, `<prefix>_<base64url of 32 random bytes>`, e.g. `pw_admin_3q2-7wE...`.
 * The prefix tells a leaked key's kind at a glance and lets secret scanners find it; it adds no secrecy.
 *
 * @throws {TypeError} unless the prefix is lower-case letters, digits and `_`, starting with a letter.
 */
export function newApiKey(prefix: ApiKeyPrefix): string {
  if (!/^[a-z][a-z0-9_]{0,31}$/.test(prefix)) throw new TypeError('API key prefix must match [a-z][a-z0-9_]*');
  return `${prefix}_${randomBytes(KEY_BYTES).toString('base64url')}`;
}

/**
 * The value to store for an API key: sha256, hex.
 *
 * A fast hash is the right tool here, unlike for passwords. Slow hashes (bcrypt, scrypt, argon2) exist
 * to make guessing low-entropy human secrets expensive; a generated key has 256 random bits, so nobody
 * can enumerate candidates whatever the hash costs. A fast hash also keeps the per-request check cheap,
 * which matters because every postback may carry a key, and lets the hash itself be the lookup index.
 */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/**
 * Compares two stored-form hashes (from {@link hashApiKey}) in constant time.
 * Hash both sides first, even for a key held in configuration, so the lengths always agree and
 * nothing about the secret's length or content leaks through timing.
 */
export function sameHash(a: string, b: string): boolean {
  return constantTimeEqual(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}
