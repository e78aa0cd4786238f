import { timingSafeEqual } from 'node:crypto';

/**
 * Compares two byte strings in time that depends only on their length.
 *
 * `crypto.timingSafeEqual` throws on different lengths; here that is simply "not equal". Leaking the
 * length is fine for every caller in this library: the expected values (HMAC digests, sha256 hashes)
 * have a fixed, public length.
 */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}
