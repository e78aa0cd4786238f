import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const VERSION = 'v1:';
const KEY_BYTES = 32;
// 96-bit random IVs are GCM's native size; at this volume (one seal per secret saved) collisions are not a concern.
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Any failure of {@link SecretBox}; the message never contains key or plaintext material. */
export class SecretBoxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretBoxError';
  }
}

function decodeKey(value: string | undefined): Buffer {
  const text = (value ?? '').trim();
  if (text === '') throw new SecretBoxError('SECRETS_KEY is not set; generate one with `openssl rand -hex 32`');
  // Hex is tried first: 64 hex characters are also valid base64, but of 48 bytes, so there is no ambiguity.
  if (/^[0-9a-fA-F]{64}$/.test(text)) return Buffer.from(text, 'hex');
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(text)) {
    const key = Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    if (key.length === KEY_BYTES) return key;
  }
  throw new SecretBoxError('SECRETS_KEY must be 32 bytes written as 64 hex characters or base64; generate one with `openssl rand -hex 32`');
}

/**
 * Encryption at rest for secrets Postwire must be able to read back (network HMAC secrets, adapter
 * credentials): AES-256-GCM, so a modified or swapped-key value fails to open instead of decrypting to garbage.
 * A database dump alone then reveals no secret; the key lives only in the environment.
 *
 * Sealed form: `v1:` + base64(iv ‖ tag ‖ ciphertext). The version prefix leaves room for a later key
 * rotation scheme without guessing at old rows.
 */
export class SecretBox {
  private constructor(private readonly key: Buffer) {}

  /**
   * Builds a box from the `SECRETS_KEY` environment value: 32 bytes as 64 hex characters or as base64
   * (standard or URL-safe, padding optional). Surrounding whitespace, as left by env files, is ignored.
   * @throws {SecretBoxError} when the value is missing or not exactly 32 bytes.
   */
  static fromEnv(value: string | undefined): SecretBox {
    return new SecretBox(decodeKey(value));
  }

  /** Encrypts a UTF-8 string; every call uses a fresh IV, so equal secrets do not look equal at rest. */
  seal(plain: string): string {
    if (typeof plain !== 'string') throw new SecretBoxError('only strings can be sealed');
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const ciphertext = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return VERSION + Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString('base64');
  }

  /**
   * Decrypts a value made by {@link seal}.
   * @throws {SecretBoxError} on an unknown format, or when the key is wrong or the value was altered.
   */
  open(sealed: string): string {
    if (typeof sealed !== 'string' || !sealed.startsWith(VERSION)) {
      throw new SecretBoxError('sealed secret has an unknown format (expected "v1:<base64>")');
    }
    const body = sealed.slice(VERSION.length);
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(body)) throw new SecretBoxError('sealed secret is not valid base64');
    const bytes = Buffer.from(body, 'base64');
    if (bytes.length < IV_BYTES + TAG_BYTES) throw new SecretBoxError('sealed secret is truncated');
    const decipher = createDecipheriv('aes-256-gcm', this.key, bytes.subarray(0, IV_BYTES), { authTagLength: TAG_BYTES });
    decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    try {
      return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretBoxError('cannot open sealed secret: SECRETS_KEY is wrong or the stored value was tampered with');
    }
  }
}
