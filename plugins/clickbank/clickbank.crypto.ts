import { createDecipheriv, createHash } from 'node:crypto';
import { BadSignatureError, parseRequestBody } from '@postwire/plugin-sdk';

/**
 * The AES-256 key ClickBank encrypts INS notifications with: the first 32 characters of the
 * lower-case hex SHA-1 of the account's secret key, taken as 32 ASCII bytes (not the binary
 * digest). Every ClickBank code sample derives it this way (`substr(sha1($secretKey), 0, 32)`).
 */
export function insKey(secretKey: string): Buffer {
  return Buffer.from(createHash('sha1').update(secretKey, 'utf8').digest('hex').slice(0, 32), 'ascii');
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

// Buffer.from(…, 'base64') silently skips characters outside the alphabet, so a mangled value
// would decode to *something*; checking the alphabet first keeps "not base64" a hard failure.
// Line breaks are tolerated because MIME-style encoders wrap base64 at 76 characters.
function strictBase64(value: string, what: string): Buffer {
  const compact = value.replace(/\r?\n/g, '');
  if (compact === '' || !BASE64.test(compact)) throw new BadSignatureError(`${what} is not valid base64`);
  return Buffer.from(compact, 'base64');
}

/**
 * Decrypts an INS v6+ notification and returns the notification object.
 *
 * Every failure is a {@link BadSignatureError}: AES-CBC carries no authentication tag, so the
 * only evidence that the message comes from ClickBank and was not altered is that it decrypts,
 * with valid PKCS#7 padding, into well-formed UTF-8 JSON carrying the fields every notification
 * has. That last check matters: a change to the IV flips bits of the first plaintext block only
 * (`{"transactionTim…`), which the JSON would otherwise survive.
 */
export function decryptNotification(notification: string, iv: string, secretKey: string): Record<string, unknown> {
  const ivBytes = strictBase64(iv, 'iv');
  if (ivBytes.length !== 16) throw new BadSignatureError('iv must decode to 16 bytes');
  const cipherBytes = strictBase64(notification, 'notification');
  if (cipherBytes.length % 16 !== 0) throw new BadSignatureError('notification is not a whole number of AES blocks');

  let plain: Buffer;
  try {
    const decipher = createDecipheriv('aes-256-cbc', insKey(secretKey), ivBytes);
    plain = Buffer.concat([decipher.update(cipherBytes), decipher.final()]);
  } catch {
    // A wrong key or altered ciphertext almost always breaks the padding check in final().
    throw new BadSignatureError('the notification does not decrypt with the configured secret key');
  }

  // ClickBank's own PHP sample trims NULs and control characters around the plaintext.
  let trimmed = plain;
  let start = 0;
  let end = trimmed.length;
  while (start < end && trimmed[start] <= 0x20) start++;
  while (end > start && trimmed[end - 1] <= 0x20) end--;
  trimmed = trimmed.subarray(start, end);

  let parsed: unknown;
  try {
    // The SDK's JSON reading refuses invalid UTF-8, drops prototype keys and bounds nesting.
    parsed = parseRequestBody('application/json', trimmed);
  } catch {
    throw new BadSignatureError('the notification does not decrypt to JSON with the configured secret key');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new BadSignatureError('the notification does not decrypt to a JSON object with the configured secret key');
  }
  const object = parsed as Record<string, unknown>;
  for (const field of ['transactionType', 'transactionTime']) {
    if (typeof object[field] !== 'string' || object[field] === '') {
      throw new BadSignatureError(`the decrypted notification has no ${field}; it was altered or the key is wrong`);
    }
  }
  return object;
}
