import type { ConversionStatus } from '../conversion/conversion-status';
import type { DecimalAmount } from '../money/decimal-amount';
import type { StatusByCurrent } from './status-rules';

/** How a conversion reached Postwire: a browser pixel or a server-to-server postback. */
export type Channel = 'pixel' | 's2s';

/**
 * The stored state of one conversion, as the storage layer loads it (`FOR UPDATE`) and writes it
 * back. `source` is the channel whose values the conversion currently holds; `pixelSeen` records
 * that a pixel fired for it at some point, whatever the source.
 */
export interface ConversionSnapshot {
  status: ConversionStatus;
  payout: DecimalAmount | null;
  revenue: DecimalAmount | null;
  /** ISO 4217 code, upper case; applies to both payout and revenue. */
  currency: string;
  txid: string | null;
  /** `''` is the default goal. */
  goal: string;
  source: Channel;
  pixelSeen: boolean;
  /**
   * The click the conversion belongs to, when the caller knows it. A conversion found by
   * (network, txid) for another click is never this event's conversion (see `txid_conflict`).
   */
  clickId?: string;
}

/**
 * One incoming pixel hit or postback, already mapped to Postwire's vocabulary. A field left
 * `undefined` means "the sender did not say", never "clear this value".
 */
export interface ConversionEvent {
  channel: Channel;
  status?: ConversionStatus;
  /** Overrides `status` depending on the conversion's current status (see {@link StatusByCurrent}). */
  statusByCurrent?: StatusByCurrent;
  payout?: DecimalAmount;
  revenue?: DecimalAmount;
  currency?: string;
  txid?: string;
  /** `''` and `undefined` both mean "not said" (the default goal on creation). */
  goal?: string;
  /** The click this event names; compared with {@link ConversionSnapshot.clickId} when both are known. */
  clickId?: string;
}

/** Per-offer/network settings the decision needs. */
export interface AttributionPolicy {
  /** Currency used when a conversion is created without one (ISO 4217). */
  defaultCurrency: string;
  /** The offer's payout, used when a conversion is created without one. */
  defaultPayout?: DecimalAmount | null;
}

/**
 * What a decision changed. `created`, `upgraded_to_s2s`, `pixel_confirmed` and
 * `pixel_values_changed` say which rule applied; the others name the fields that moved, so the
 * caller can log and forward without diffing snapshots itself.
 */
export type ChangeKind =
  | 'created'
  | 'status_changed'
  | 'payout_changed'
  | 'upgraded_to_s2s'
  | 'pixel_confirmed'
  | 'pixel_values_changed'
  | 'currency_changed'
  | 'revenue_changed'
  | 'txid_changed';

/**
 * One row of a conversion's status/payout history. Written on creation (`from` null) and whenever
 * the status, the payout or the currency the payout is counted in changes.
 */
export interface StatusChange {
  from: ConversionStatus | null;
  to: ConversionStatus;
  payoutBefore: DecimalAmount | null;
  payoutAfter: DecimalAmount | null;
  /** Currency of `payoutBefore`; null on creation. */
  currencyBefore: string | null;
  /** Currency of `payoutAfter`. */
  currencyAfter: string;
  channel: Channel;
}

/**
 * What the storage layer must do: `accepted` → insert `next`; `updated` → overwrite with `next`;
 * `duplicate`, `ignored` and `rejected` → write nothing to the conversion (log the postback only). `history`,
 * when present, is appended to the conversion's history.
 */
export type AttributionDecision =
  | { outcome: 'accepted'; next: ConversionSnapshot; changes: ChangeKind[]; history: StatusChange }
  | { outcome: 'updated'; next: ConversionSnapshot; changes: ChangeKind[]; history?: StatusChange }
  | { outcome: 'duplicate' }
  | { outcome: 'ignored'; reason: string }
  /** Refused: the event must not touch this conversion at all (`txid_conflict`). Nothing is written to it. */
  | { outcome: 'rejected'; reason: 'txid_conflict' };
