import { randomFillSync } from 'node:crypto';

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

// Random bytes are drawn from the CSPRNG in 4 KB refills rather than 13 at a time: one call per
// click cost ~6% of the click path's CPU (bench/NOTES.md); the bytes are the same quality.
const POOL = Buffer.alloc(13 * 315);
let poolOffset = POOL.length;

function randomChunk(): Buffer {
  if (poolOffset + 13 > POOL.length) {
    randomFillSync(POOL);
    poolOffset = 0;
  }
  const chunk = POOL.subarray(poolOffset, poolOffset + 13);
  poolOffset += 13;
  return chunk;
}

export function newClickId(now: number = Date.now()): string {
  let time = '';
  let t = now;
  for (let i = 0; i < TIME_CHARS; i++) {
    time = ALPHABET[t % 32] + time;
    t = Math.floor(t / 32);
  }
  // 13 random bytes = 104 bits; each output char takes 5 of them.
  const bytes = randomChunk();
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
