import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import pLimit from 'p-limit';

/**
 * scrypt cost of new password hashes: N=2^15, r=8, p=1 uses 32 MiB and some 50-100 ms per check,
 * OWASP's recommended floor for scrypt. The parameters are stored with each hash, so raising them
 * later keeps old hashes verifiable.
 */
const COST = { N: 32768, r: 8, p: 1 } as const;
const KEY_BYTES = 64;
const SALT_BYTES = 16;
/** Refuses stored parameters that would make one check cost more than this (a tampered row must not stall the server). */
const MAX_MEMORY = 256 * 1024 * 1024;

/**
 * One scrypt at a time per process. Each runs on libuv's thread pool (4 threads) for 50-100 ms of CPU;
 * 40 concurrent sign-ins would otherwise hold the whole pool and every core, and clicks (whose DNS,
 * file and crypto work share that pool) would queue behind them. Sign-ins wait in this queue instead;
 * the sign-in throttle bounds how long it can get.
 */
const oneAtATime = pLimit(1);

function scrypt(password: string, salt: Buffer, keylen: number, options: ScryptOptions): Promise<Buffer> {
  return oneAtATime(
    () => new Promise<Buffer>((resolve, reject) => scryptCallback(password, salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key)))),
  );
}

const memoryOf = (o: { N: number; r: number; p: number }) => 128 * o.N * o.r * (o.p + 2);

/** A password hash to store: `scrypt$N$r$p$<salt>$<key>`, salt and key base64url. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await scrypt(password.normalize('NFC'), salt, KEY_BYTES, { ...COST, maxmem: memoryOf(COST) });
  return ['scrypt', COST.N, COST.r, COST.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** Whether `password` matches a hash made by {@link hashPassword}; a malformed hash never matches. Constant-time compare. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = parts.slice(1, 4).map(Number);
  if (![N, r, p].every((n) => Number.isSafeInteger(n) && n > 0) || memoryOf({ N, r, p }) > MAX_MEMORY) return false;
  const salt = Buffer.from(parts[4], 'base64url');
  const expected = Buffer.from(parts[5], 'base64url');
  if (expected.length < 16) return false;
  try {
    const key = await scrypt(password.normalize('NFC'), salt, expected.length, { N, r, p, maxmem: memoryOf({ N, r, p }) });
    return timingSafeEqual(key, expected);
  } catch {
    return false;
  }
}

/**
 * A hash of no one's password, checked when a sign-in names an unknown account so that the answer
 * takes as long as for a known one and timing does not tell which e-mail addresses exist.
 */
let decoy: Promise<string> | undefined;
export function decoyPasswordHash(): Promise<string> {
  decoy ??= hashPassword(randomBytes(16).toString('hex'));
  return decoy;
}

/** A password for a generated account: 24 base64url characters, 144 random bits. */
export function newPassword(): string {
  return randomBytes(18).toString('base64url');
}
