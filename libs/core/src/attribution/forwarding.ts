import type { ConversionStatus } from '../conversion/conversion-status';
import type { AttributionDecision, ChangeKind } from './types';

/** The traffic-source settings {@link shouldForward} needs. */
export interface ForwardingSource {
  /** Whether this source wants conversions that so far only a pixel reported. */
  forwardPixel: boolean;
  /** Only forward when the conversion's new status is listed; `undefined` means every status. */
  statuses?: readonly ConversionStatus[];
}

// What a traffic source is told about is the status and what was paid; revenue and txid
// corrections do not change that, so they alone are not worth a postback.
const NEWS: readonly ChangeKind[] = ['created', 'status_changed', 'payout_changed', 'currency_changed'];

/**
 * Whether a traffic source should be told about this decision.
 *
 * - S2S creation and S2S status/payout/currency changes: yes.
 * - Pixel creation and pixel status/payout changes: only when `forwardPixel`.
 * - Upgrade of a pixel conversion to S2S: yes when `forwardPixel` is off (the source has heard
 *   nothing yet); when it is on, only if the S2S status or payout differ from what the pixel said,
 *   because the source already received the pixel's version.
 * - Duplicates, ignored events, pixel confirmations, revenue/txid-only corrections: never.
 *
 * When `statuses` is given, the conversion's new status must be in it (an empty list forwards
 * nothing).
 */
export function shouldForward(decision: AttributionDecision, source: ForwardingSource): boolean {
  if (decision.outcome === 'duplicate' || decision.outcome === 'ignored' || decision.outcome === 'rejected') return false;
  const { next, changes } = decision;
  if (source.statuses !== undefined && !source.statuses.includes(next.status)) return false;
  if (changes.includes('pixel_confirmed')) return false;
  const news = changes.some((kind) => NEWS.includes(kind));
  if (changes.includes('upgraded_to_s2s')) return !source.forwardPixel || news;
  if (next.source === 'pixel') return source.forwardPixel && news;
  return news;
}
