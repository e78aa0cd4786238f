import type { TargetAnswer, TargetVerdict } from '@postwire/plugin-sdk';
import { parseJsonObject } from './google-ads.json';

/**
 * Reading the Google Ads API's answers to `uploadClickConversions` and `uploadConversionAdjustments`
 * (REST, JSON). Two layers (https://developers.google.com/google-ads/api/docs/best-practices/partial-failures):
 * - a request-level error: an HTTP error status with `{ error: { code, status, message, details } }`
 *   (authentication, authorization, quota, a malformed request);
 * - a row-level error in a 200: `partialFailureError` (a `google.rpc.Status`) whose details hold a
 *   `GoogleAdsFailure` with one error per failed row. A 200 carrying one is NOT a delivery.
 * Postwire sends one conversion per request, so the row errors are that conversion's.
 */

/** One `GoogleAdsError`: its `errorCode` is a one-key object such as `{ conversionUploadError: 'EXPIRED_EVENT' }`. */
interface GoogleAdsError {
  errorCode?: Record<string, string>;
  message?: string;
  details?: { quotaErrorDetails?: { retryDelay?: string } };
}

const SIX_HOURS_MS = 6 * 60 * 60 * 1000;

/**
 * Row errors that clear by themselves: Google asks to retry after 6 hours (the click or the
 * conversion action is too recent), or the adjusted conversion is not processed yet.
 */
const RETRY_LATER: ReadonlySet<string> = new Set(['TOO_RECENT_EVENT', 'TOO_RECENT_CONVERSION_ACTION', 'TOO_RECENT_CONVERSION', 'CONVERSION_NOT_FOUND']);

/** Row errors that mean Google already has what was sent: the upload or adjustment is in place. */
const ALREADY_THERE: ReadonlySet<string> = new Set(['CLICK_CONVERSION_ALREADY_EXISTS', 'ORDER_ID_ALREADY_IN_USE', 'CONVERSION_ALREADY_RETRACTED']);

/** Row errors the operator must fix in Google Ads or in the target's settings (alerted). */
const SETUP_PROBLEM: ReadonlySet<string> = new Set([
  'INVALID_CONVERSION_ACTION',
  'NO_CONVERSION_ACTION_FOUND',
  'UNAUTHORIZED_CUSTOMER',
  'CUSTOMER_NOT_ACCEPTED_CUSTOMER_DATA_TERMS',
  'CUSTOMER_DATA_POLICY_PROHIBITS_ENHANCED_CONVERSIONS',
  'CONVERSION_ACTION_NOT_ELIGIBLE_FOR_ENHANCEMENT',
  'INVALID_CONVERSION_ACTION_TYPE',
]);

/** Request-level error families that mean the credentials or account setup are wrong (alerted). */
const SETUP_FAMILIES: ReadonlySet<string> = new Set(['authenticationError', 'authorizationError', 'headerError']);

export function readGoogleAdsAnswer(answer: TargetAnswer): TargetVerdict {
  if (answer.statusCode === null) return { kind: 'retry', reason: `no answer from the Google Ads API (${answer.error ?? 'no response'})` };
  const json = parseJsonObject(answer.body);
  if (answer.statusCode >= 200 && answer.statusCode < 300) {
    const failure = json?.partialFailureError as { code?: number; message?: string } | undefined;
    if (!failure || !failure.code) return { kind: 'delivered' };
    return readRowErrors(adsErrors(failure), failure.message);
  }
  const error = (json?.error ?? {}) as { status?: string; message?: string };
  const errors = adsErrors(error);
  const what = describe(errors, error.message ?? answer.error ?? `HTTP ${answer.statusCode}`);
  if (answer.statusCode === 429 || error.status === 'RESOURCE_EXHAUSTED') {
    return { kind: 'retry', reason: `Google Ads rate limit (${what})`, afterMs: retryAfterMs(answer.headers['retry-after'], errors) };
  }
  if (answer.statusCode === 401 || answer.statusCode === 403) {
    return { kind: 'permanent', reason: `Google Ads refused the credentials (HTTP ${answer.statusCode} ${error.status ?? ''}: ${what})`, alert: true };
  }
  if (answer.statusCode >= 500) return { kind: 'retry', reason: `Google Ads API error (HTTP ${answer.statusCode}: ${what})` };
  const setup = answer.statusCode === 404 || errors.some((e) => Object.keys(e.errorCode ?? {}).some((family) => SETUP_FAMILIES.has(family)));
  return { kind: 'permanent', reason: `Google Ads refused the request (HTTP ${answer.statusCode}: ${what})`, ...(setup ? { alert: true } : {}) };
}

function readRowErrors(errors: GoogleAdsError[], message: string | undefined): TargetVerdict {
  const codes = errors.map(code);
  const what = describe(errors, message ?? 'partial failure');
  if (codes.length === 0) return { kind: 'permanent', reason: `Google Ads refused the conversion (${what})` };
  if (codes.every((c) => ALREADY_THERE.has(c))) return { kind: 'delivered', note: `already in Google Ads (${codes.join(', ')})` };
  if (codes.every((c) => RETRY_LATER.has(c) || ALREADY_THERE.has(c))) {
    return { kind: 'retry', reason: `Google Ads asks to try again later (${what})`, afterMs: SIX_HOURS_MS };
  }
  const setup = codes.some((c) => SETUP_PROBLEM.has(c));
  return { kind: 'permanent', reason: `Google Ads refused the conversion (${what})`, ...(setup ? { alert: true } : {}) };
}

/** The `GoogleAdsFailure.errors` inside a `google.rpc.Status`'s details. */
function adsErrors(status: unknown): GoogleAdsError[] {
  const details = (status as { details?: unknown } | null)?.details;
  if (!Array.isArray(details)) return [];
  return details.flatMap((d) =>
    d && typeof d === 'object' && Array.isArray((d as { errors?: unknown }).errors) ? (d as { errors: GoogleAdsError[] }).errors : [],
  );
}

function code(error: GoogleAdsError): string {
  return Object.values(error.errorCode ?? {})[0] ?? 'UNKNOWN';
}

function describe(errors: GoogleAdsError[], fallback: string): string {
  if (!errors.length) return fallback.slice(0, 300);
  return errors
    .map((e) => `${code(e)}${e.message ? `: ${e.message}` : ''}`)
    .join('; ')
    .slice(0, 300);
}

/** `Retry-After` (seconds or an HTTP date) first; else Google's `quotaErrorDetails.retryDelay` ("30s"). */
export function retryAfterMs(header: string | undefined, errors: GoogleAdsError[] = [], now = Date.now()): number | undefined {
  if (header) {
    if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
    const at = Date.parse(header);
    if (!Number.isNaN(at)) return Math.max(0, at - now);
  }
  for (const e of errors) {
    const delay = /^(\d+(?:\.\d+)?)s$/.exec(e.details?.quotaErrorDetails?.retryDelay ?? '');
    if (delay) return Math.round(Number(delay[1]) * 1000);
  }
  return undefined;
}
