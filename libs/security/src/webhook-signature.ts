import { createHmac, randomBytes } from 'node:crypto';
import { constantTimeEqual } from './constant-time';
import { DEFAULT_TOLERANCE_SEC, isFreshTimestamp, SignatureCheck } from './signature-result';

/*
 * Standard Webhooks (https://www.standardwebhooks.com), implemented on node:crypto rather than with the
 * `standardwebhooks` package, which the specs use as the reference instead. The package cannot do what
 * is needed here: its verify() reads Date.now() with a fixed 5-minute window, takes one secret, reports
 * failures only as messages, JSON-parses the body, and turns a Buffer body into a string before signing,
 * so a body that is not valid UTF-8 no longer matches what the sender signed.
 */

const SECRET_PREFIX = 'whsec_';

/** The three Standard Webhooks headers, lower-case as Node presents them. */
export interface WebhookHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

function secretKey(secret: string): Buffer {
  // The secret itself never goes into the message: these errors end up in logs.
  const encoded = typeof secret === 'string' && secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : '';
  if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{4})$/.test(encoded)) {
    throw new TypeError('webhook secret must be "whsec_" followed by standard base64');
  }
  return Buffer.from(encoded, 'base64');
}

function digest(key: Buffer, id: string, timestamp: string, body: string | Uint8Array): Buffer {
  const hmac = createHmac('sha256', key).update(`${id}.${timestamp}.`, 'utf8');
  hmac.update(typeof body === 'string' ? Buffer.from(body, 'utf8') : body);
  return hmac.digest();
}

/** A new webhook signing secret: `whsec_` and the base64 of 24 random bytes (192 bits). */
export function newWebhookSecret(): string {
  return SECRET_PREFIX + randomBytes(24).toString('base64');
}

/**
 * Signs a webhook body and returns the headers to send with it.
 *
 * @param secret `whsec_<base64>`; the decoded bytes are the HMAC key.
 * @param id unique message id; the receiver may deduplicate on it.
 * @param timestampSec unix time of sending, in seconds.
 * @param body the exact bytes that will be sent (a string is sent as UTF-8).
 */
export function signWebhook(secret: string, id: string, timestampSec: number, body: string | Uint8Array): WebhookHeaders {
  if (!Number.isSafeInteger(timestampSec) || timestampSec < 0) throw new TypeError('timestampSec must be whole unix seconds');
  const timestamp = String(timestampSec);
  return {
    'webhook-id': id,
    'webhook-timestamp': timestamp,
    'webhook-signature': `v1,${digest(secretKey(secret), id, timestamp, body).toString('base64')}`,
  };
}

/** Input of {@link verifyWebhook}. */
export interface VerifyWebhookInput {
  /** Request headers; names are matched case-insensitively. */
  headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The body exactly as received, before any parsing. */
  rawBody: string | Uint8Array;
  /** Every `whsec_` secret currently valid for the sender; more than one during a rotation. */
  secrets: readonly string[];
  /** Defaults to the current time. */
  now?: Date;
  /** Accepted difference between `webhook-timestamp` and `now`, in seconds, both directions. Default 300. */
  toleranceSec?: number;
}

function header(headers: VerifyWebhookInput['headers'], name: string): string | undefined | null {
  let found: string | undefined;
  for (const key of Object.keys(headers)) {
    if (key.toLowerCase() !== name) continue;
    const value = headers[key];
    if (value === undefined) continue;
    // The same header twice is ambiguous (which one did the sender mean?), so it is refused, not guessed.
    if (Array.isArray(value) || found !== undefined) return null;
    found = value;
  }
  return found;
}

/**
 * Checks a Standard Webhooks request: `webhook-signature` holds space-separated `v1,<base64>` entries
 * (senders list several while rotating secrets) over `${webhook-id}.${webhook-timestamp}.${body}`;
 * any entry matching any secret is accepted. Entries of other versions are ignored, as the standard says.
 *
 * As with GET signatures, `stale_timestamp` is only reported for a correctly signed request.
 *
 * @throws {TypeError} when a configured secret is not `whsec_<base64>`: that is a configuration error.
 */
export function verifyWebhook(input: VerifyWebhookInput): SignatureCheck {
  const { headers, rawBody, secrets, now = new Date(), toleranceSec = DEFAULT_TOLERANCE_SEC } = input;
  const keys = secrets.map(secretKey);
  const id = header(headers, 'webhook-id');
  const timestamp = header(headers, 'webhook-timestamp');
  const signatures = header(headers, 'webhook-signature');
  if (id === null || timestamp === null || signatures === null) return { ok: false, reason: 'bad_signature' };
  if (!id || !timestamp || !signatures) return { ok: false, reason: 'missing_signature' };

  const given: Buffer[] = [];
  for (const entry of signatures.split(' ')) {
    const comma = entry.indexOf(',');
    if (comma === -1 || entry.slice(0, comma) !== 'v1') continue;
    const encoded = entry.slice(comma + 1);
    // Strict shape (32 bytes = 43 chars + '='): Buffer.from() would skip junk characters silently.
    if (/^[A-Za-z0-9+/]{43}=$/.test(encoded)) given.push(Buffer.from(encoded, 'base64'));
  }
  let matched: Buffer | undefined;
  for (const key of keys) {
    const expected = digest(key, id, timestamp, rawBody);
    for (const candidate of given) {
      if (constantTimeEqual(expected, candidate)) matched = expected;
    }
  }
  if (matched === undefined) return { ok: false, reason: 'bad_signature' };
  if (!isFreshTimestamp(timestamp, now, toleranceSec)) return { ok: false, reason: 'stale_timestamp' };
  return { ok: true, signature: matched.toString('base64') };
}
