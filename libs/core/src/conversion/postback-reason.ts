import type { PostbackOutcome } from './postback-outcome';

/**
 * Why a postback-log row has its outcome, as a closed set the log is filtered by. The row's free
 * `reason` text keeps the detail (the parameter named by a 400, the status change refused …).
 */
export const POSTBACK_REASONS = [
  // Booked or looked at by the attribution engine.
  'accepted',
  'updated',
  'duplicate',
  'ignored',
  'unknown_click',
  'no_click_id',
  'network_mismatch',
  'outside_window',
  'txid_conflict',
  'test',
  // Refused before anything was booked (outcome `refused`).
  'bad_signature',
  'stale_timestamp',
  'replayed',
  'ip_refused',
  'bad_key',
  'bad_parameter',
  'rate_limited',
  'unknown_network',
  'method_not_allowed',
  'bad_request',
  'unavailable',
] as const;
export type PostbackReason = (typeof POSTBACK_REASONS)[number];

/** The reasons a request can be refused for (outcome `refused`). */
export const REFUSAL_REASONS = [
  'bad_signature',
  'stale_timestamp',
  'replayed',
  'ip_refused',
  'bad_key',
  'bad_parameter',
  'rate_limited',
  'unknown_network',
  'method_not_allowed',
  'bad_request',
  'unavailable',
] as const satisfies readonly PostbackReason[];
export type RefusalReason = (typeof REFUSAL_REASONS)[number];

/**
 * The refusal reason of an error code the sender was answered with (`docs/api-errors.md`): the guards'
 * codes by name, every 400 that names a parameter as `bad_parameter`, a 5xx as `unavailable`.
 */
export function refusalReasonOf(errorCode: string, httpStatus: number, param?: string): RefusalReason {
  switch (errorCode) {
    case 'bad_signature':
    case 'stale_timestamp':
    case 'replayed':
    case 'rate_limited':
    case 'unknown_network':
    case 'method_not_allowed':
      return errorCode;
    case 'ip_not_allowed':
      return 'ip_refused';
    case 'invalid_api_key':
      return 'bad_key';
  }
  if (httpStatus === 429) return 'rate_limited';
  if (httpStatus >= 500) return 'unavailable';
  if (errorCode === 'bad_parameter' || param !== undefined) return 'bad_parameter';
  return 'bad_request';
}

/**
 * The reason code of a row the attribution engine wrote, from its outcome and detail `reason`
 * (`unsupported_event:…`, `transition_not_allowed:…`, `invalid_payout` … are all `ignored`).
 * Migration 017 fills the rows stored before it with the same rules.
 */
export function recordedReasonOf(outcome: Exclude<PostbackOutcome, 'refused'>, reason: string | null | undefined, test: boolean): PostbackReason {
  if (test) return 'test';
  if (outcome === 'unattributed') return reason === 'no_click_id' ? 'no_click_id' : 'unknown_click';
  if (outcome === 'rejected') {
    if (reason === 'network_mismatch' || reason === 'outside_window') return reason;
    return 'txid_conflict';
  }
  return outcome;
}
