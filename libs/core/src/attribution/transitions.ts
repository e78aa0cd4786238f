import type { ConversionStatus } from '../conversion/conversion-status';

/**
 * The status moves a conversion may make. `refunded` is terminal: once the money went back there
 * is nothing left to approve or decline. `declined → approved` exists because networks do
 * overturn rejections after a manual review; `approved → declined` does not, because taking
 * money back after approval is a refund.
 */
export const ALLOWED_TRANSITIONS: Readonly<Record<ConversionStatus, readonly ConversionStatus[]>> = Object.freeze({
  pending: Object.freeze(['approved', 'declined'] as const),
  approved: Object.freeze(['refunded'] as const),
  declined: Object.freeze(['approved'] as const),
  refunded: Object.freeze([] as const),
});

/**
 * Whether a conversion in status `from` may move to status `to`. Staying in the same status is not
 * a move and returns `false`; {@link decideConversion} treats it as a repeat instead.
 */
export function canTransition(from: ConversionStatus, to: ConversionStatus): boolean {
  return ALLOWED_TRANSITIONS[from].includes(to);
}
