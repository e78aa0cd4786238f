import { createHmac } from 'node:crypto';
import { constantTimeEqual } from './constant-time';
import { DEFAULT_TOLERANCE_SEC, isFreshTimestamp, SignatureCheck } from './signature-result';

/** Query parameter carrying the hex HMAC; it is the one parameter left out of the signed string. */
export const GET_SIGNATURE_PARAM = 'sig';
/** Query parameter carrying the unix time (seconds) of signing; it is signed like any other parameter. */
export const GET_TIMESTAMP_PARAM = 'ts';

/**
 * The string a GET postback signature covers: `METHOD\nPATH\nSORTED_QUERY`.
 *
 * - METHOD is upper-cased.
 * - PATH is the path exactly as sent on the wire (still percent-encoded), without `?` and query.
 * - SORTED_QUERY is every parameter except `sig`, each written `encodeURIComponent(key)=encodeURIComponent(value)`,
 *   sorted by the encoded key and joined with `&`.
 *
 * Parameters are taken decoded (as a framework hands them over) and re-encoded here, so `a+b`,
 * `a%20b` and `a b` on the wire sign alike. Sorting the encoded keys, which are pure ASCII, means
 * every language's plain string sort agrees; sorting raw keys would not (JavaScript compares UTF-16
 * code units, Python code points, PHP bytes). For the usual `[A-Za-z0-9_]` keys both orders are the same.
 *
 * @throws {TypeError} when a value is not a string (repeated parameters must be refused before signing,
 *   see `checkParams`) or the path contains a query string.
 */
export function canonicalGetString(method: string, path: string, query: Readonly<Record<string, string>>): string {
  if (path.includes('?')) throw new TypeError('path must not include the query string');
  const pairs: Array<[string, string]> = [];
  for (const key of Object.keys(query)) {
    if (key === GET_SIGNATURE_PARAM) continue;
    const value = query[key];
    if (typeof value !== 'string') throw new TypeError(`query parameter ${JSON.stringify(key)} is not a single string`);
    pairs.push([encodeURIComponent(key), encodeURIComponent(value)]);
  }
  // Encoded keys are unique ASCII strings, so the default code-unit sort is a total, portable order.
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return `${method.toUpperCase()}\n${path}\n${pairs.map(([k, v]) => `${k}=${v}`).join('&')}`;
}

function hmacHex(secret: string, data: string): string {
  if (typeof secret !== 'string' || secret.length === 0) throw new TypeError('signing secret must be a non-empty string');
  return createHmac('sha256', secret).update(data, 'utf8').digest('hex');
}

/**
 * Signs a GET postback: returns the lower-case hex HMAC-SHA256 to send as `sig`.
 * `query` must already contain `ts` (unix seconds); a `sig` entry in it is ignored.
 *
 * @throws {TypeError} when `ts` is missing or the secret is empty.
 */
export function signGet(secret: string, method: string, path: string, query: Readonly<Record<string, string>>): string {
  if (typeof query[GET_TIMESTAMP_PARAM] !== 'string') {
    throw new TypeError(`query must contain "${GET_TIMESTAMP_PARAM}" (unix seconds) before signing`);
  }
  return hmacHex(secret, canonicalGetString(method, path, query));
}

/** Input of {@link verifyGetSignature}. */
export interface VerifyGetSignatureInput {
  method: string;
  /** Request path as received, without the query string. */
  path: string;
  /** Decoded query parameters, one string per name, including `ts` and `sig`. */
  query: Readonly<Record<string, string>>;
  /** Every secret currently valid for the sender; more than one during a rotation. */
  secrets: readonly string[];
  /** Defaults to the current time. */
  now?: Date;
  /** Accepted difference between `ts` and `now`, in seconds, both directions. Default 300. */
  toleranceSec?: number;
}

/**
 * Checks a signed GET postback.
 *
 * The signature is checked before the timestamp so that `stale_timestamp` means "correctly signed,
 * but the sender's clock (or a replay) is off", which tells an operator a clock problem from a wrong secret.
 * A wrong secret, a tampered parameter, a repeated parameter and a malformed `sig` are all `bad_signature`.
 * On success, pass `signature` to a `ReplayStore` to refuse a second use.
 *
 * @throws {TypeError} when a configured secret is empty or `path` contains a query string (caller bugs).
 */
export function verifyGetSignature(input: VerifyGetSignatureInput): SignatureCheck {
  const { method, path, query, secrets, now = new Date(), toleranceSec = DEFAULT_TOLERANCE_SEC } = input;
  const sig: unknown = query[GET_SIGNATURE_PARAM];
  const ts: unknown = query[GET_TIMESTAMP_PARAM];
  if (sig === undefined || sig === '' || ts === undefined || ts === '') return { ok: false, reason: 'missing_signature' };
  // Repeated `sig` or `ts` (arrays) land here too: they are not what the sender signed.
  if (typeof sig !== 'string' || typeof ts !== 'string' || !/^[0-9a-fA-F]{64}$/.test(sig)) {
    return { ok: false, reason: 'bad_signature' };
  }
  if (path.includes('?')) throw new TypeError('path must not include the query string');
  let canonical: string;
  try {
    canonical = canonicalGetString(method, path, query);
  } catch {
    // A repeated parameter (an array) or a lone UTF-16 surrogate cannot be in a string the sender signed.
    return { ok: false, reason: 'bad_signature' };
  }
  const given = Buffer.from(sig, 'hex');
  let matched: string | undefined;
  for (const secret of secrets) {
    const expected = hmacHex(secret, canonical);
    // No early exit: the time taken does not depend on which secret matched.
    if (constantTimeEqual(Buffer.from(expected, 'hex'), given)) matched = expected;
  }
  if (matched === undefined) return { ok: false, reason: 'bad_signature' };
  if (!isFreshTimestamp(ts, now, toleranceSec)) return { ok: false, reason: 'stale_timestamp' };
  return { ok: true, signature: matched };
}
