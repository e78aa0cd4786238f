/** Why a signed request was refused. */
export type SignatureFailure = 'bad_signature' | 'stale_timestamp' | 'missing_signature';

/**
 * Outcome of checking a signed request. On success `signature` is the canonical form of the signature
 * that matched (computed here, not copied from the request), so it is a safe replay-cache key:
 * re-encoding the same signature (upper-case hex, odd base64) cannot produce a different key.
 */
export type SignatureCheck = { ok: true; signature: string } | { ok: false; reason: SignatureFailure };

/** Default accepted clock difference between sender and Postwire, in seconds. */
export const DEFAULT_TOLERANCE_SEC = 300;

/**
 * True when `timestamp` (unix seconds as sent) is within `toleranceSec` of `now`, in either direction.
 * Only plain decimal digits are accepted: `1e9`, `0x...` or ` 17...` would otherwise parse to numbers.
 */
export function isFreshTimestamp(timestamp: string, now: Date, toleranceSec: number): boolean {
  if (!(toleranceSec >= 0)) throw new RangeError('toleranceSec must be a non-negative number');
  if (!/^\d{1,12}$/.test(timestamp)) return false;
  const nowSec = Math.floor(now.getTime() / 1000);
  return Math.abs(nowSec - Number(timestamp)) <= toleranceSec;
}
