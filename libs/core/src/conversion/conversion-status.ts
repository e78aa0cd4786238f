/**
 * The four states a conversion can be in. Every network's own vocabulary is mapped onto these.
 * `refunded` also covers chargebacks and reversals.
 */
export const CONVERSION_STATUSES = ['pending', 'approved', 'declined', 'refunded'] as const;
export type ConversionStatus = (typeof CONVERSION_STATUSES)[number];

// Lower-case network words → Postwire status. Numeric codes follow the common affiliate convention
// (1 approved, 2 pending, 3 declined); networks with other codes map them in their own adapter.
const VOCABULARY: Readonly<Record<string, ConversionStatus>> = Object.freeze({
  '1': 'approved',
  approved: 'approved',
  approve: 'approved',
  sale: 'approved',
  confirmed: 'approved',
  paid: 'approved',
  '2': 'pending',
  pending: 'pending',
  lead: 'pending',
  hold: 'pending',
  '3': 'declined',
  declined: 'declined',
  rejected: 'declined',
  reject: 'declined',
  refund: 'refunded',
  refunded: 'refunded',
  chargeback: 'refunded',
  reversed: 'refunded',
  reversal: 'refunded',
});

/** Maps a network's status word or code onto a {@link ConversionStatus}; `undefined` when unknown. */
export function mapStatus(raw: string): ConversionStatus | undefined {
  const key = raw.trim().toLowerCase();
  return Object.prototype.hasOwnProperty.call(VOCABULARY, key) ? VOCABULARY[key] : undefined;
}

export function isConversionStatus(value: string): value is ConversionStatus {
  return (CONVERSION_STATUSES as readonly string[]).includes(value);
}
