import { createHash, timingSafeEqual } from 'node:crypto';

/** The fields Digistore24 may carry its signature in; both are left out of the signed string. */
export const SIGNATURE_FIELDS = ['sha_sign', 'SHASIGN'] as const;

// PHP's strtoupper on the ASCII field names Digistore24 uses; toUpperCase would also fold
// non-ASCII letters, which PHP 8 does not.
function asciiUpper(text: string): string {
  return text.replace(/[a-z]/g, (c) => c.toUpperCase());
}

// PHP sorts with SORT_STRING, a byte-wise comparison; String#localeCompare or the default
// UTF-16 sort would differ for non-ASCII names.
function compareBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/**
 * The `sha_sign` Digistore24 computes for an IPN call, as in its own PHP receiver
 * (`digistore_signature`): drop `sha_sign`/`SHASIGN`, sort the field names byte-wise, skip empty
 * values, append `NAME=value` followed by the passphrase for every field, SHA-512, upper-case hex.
 *
 * `upperCaseKeys` is the receiver's optional `$convert_keys_to_uppercase` variant: names are
 * upper-cased for sorting and in the signed string (ties broken by the original name, as
 * PHP's array_multisort does).
 */
export function digistoreSignature(fields: Readonly<Record<string, string>>, passphrase: string, upperCaseKeys = false): string {
  const names = Object.keys(fields).filter((name) => !(SIGNATURE_FIELDS as readonly string[]).includes(name));
  const sortName = upperCaseKeys ? asciiUpper : (name: string) => name;
  names.sort((a, b) => compareBytes(sortName(a), sortName(b)) || compareBytes(a, b));
  const hash = createHash('sha512');
  for (const name of names) {
    const value = fields[name];
    if (value === '') continue;
    hash.update(`${sortName(name)}=${value}${passphrase}`, 'utf8');
  }
  return hash.digest('hex').toUpperCase();
}

/**
 * Whether `received` is the signature of `fields` under `passphrase`, in either key-case
 * variant. Compared in constant time; hex case is ignored.
 */
export function signatureMatches(fields: Readonly<Record<string, string>>, passphrase: string, received: string): boolean {
  const given = Buffer.from(received.trim().toUpperCase(), 'utf8');
  let match = false;
  for (const upperCaseKeys of [false, true]) {
    const expected = Buffer.from(digistoreSignature(fields, passphrase, upperCaseKeys), 'utf8');
    // Both variants are always computed, so the time taken does not tell which one matched.
    if (given.length === expected.length && timingSafeEqual(given, expected)) match = true;
  }
  return match;
}
