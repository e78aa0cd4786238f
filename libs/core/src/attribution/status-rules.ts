import { isConversionStatus, type ConversionStatus } from '../conversion/conversion-status';

/**
 * A network status whose meaning depends on where the conversion stands. impact.com's `REVERSED`
 * is the usual example: for an action still pending it means the sale was declined, for an
 * approved one that the money went back (refunded).
 *
 * Keys are the conversion's current status; a current status not listed (or no conversion yet)
 * keeps the event's own `status`.
 */
export type StatusByCurrent = Partial<Readonly<Record<ConversionStatus, ConversionStatus>>>;

/**
 * The status an event means for a conversion currently in `current` (undefined: no conversion yet).
 * Pure, so every network's rule is decided in one place and unit-tested without storage.
 */
export function statusFor(
  current: ConversionStatus | undefined,
  status: ConversionStatus | undefined,
  byCurrent: StatusByCurrent | undefined,
): ConversionStatus | undefined {
  if (current === undefined || byCurrent === undefined) return status;
  // Own-property lookup and a known status only: the map may come from a plugin, and neither
  // `toString` nor a misspelt word is a status.
  if (!Object.prototype.hasOwnProperty.call(byCurrent, current)) return status;
  const mapped: unknown = byCurrent[current];
  return typeof mapped === 'string' && isConversionStatus(mapped) ? mapped : status;
}
