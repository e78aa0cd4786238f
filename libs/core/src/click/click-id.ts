import { randomBytes } from 'node:crypto';

/**
 * Click ids are 30 characters of lower-case Crockford base32: 10 characters of millisecond
 * timestamp (sortable by time, like a ULID) followed by 20 characters (100 bits) of randomness,
 * so they cannot be guessed or enumerated and are safe in any URL position.
 */
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
const TIME_CHARS = 10;
const RANDOM_CHARS = 20;
export const CLICK_ID_LENGTH = TIME_CHARS + RANDOM_CHARS;
const CLICK_ID_PATTERN = new RegExp(`^[${ALPHABET}]{${CLICK_ID_LENGTH}}$`);

export function newClickId(now: number = Date.now()): string {
  let time = '';
  let t = now;
  for (let i = 0; i < TIME_CHARS; i++) {
    time = ALPHABET[t % 32] + time;
    t = Math.floor(t / 32);
  }
  // 13 random bytes = 104 bits; each output char takes 5 of them.
  const bytes = randomBytes(13);
  let random = '';
  let acc = 0;
  let bits = 0;
  for (const byte of bytes) {
    acc = (acc << 8) | byte;
    bits += 8;
    while (bits >= 5 && random.length < RANDOM_CHARS) {
      bits -= 5;
      random += ALPHABET[(acc >> bits) & 31];
    }
    acc &= (1 << bits) - 1;
  }
  return time + random;
}

export function isClickId(value: string): boolean {
  return CLICK_ID_PATTERN.test(value);
}

/** The creation time encoded in a click id. */
export function clickIdTime(id: string): Date {
  let t = 0;
  for (const ch of id.slice(0, TIME_CHARS)) t = t * 32 + ALPHABET.indexOf(ch);
  return new Date(t);
}
