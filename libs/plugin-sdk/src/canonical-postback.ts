import type { ConversionStatus, DecimalAmount, StatusByCurrent } from '@postwire/core';

/**
 * One conversion event in Postwire's own vocabulary: what every network adapter turns its
 * network's dialect into. Fields a network did not send are left `undefined`.
 */
export interface CanonicalPostback {
  /** The Postwire click id the network echoed back (from `{click_id}` in the offer URL). */
  clickId?: string;
  /** The goal or event name (`''` or undefined is the default goal). */
  goal?: string;
  /** The network's own transaction id; the strongest dedup key there is. */
  txid?: string;
  /** Status in Postwire's vocabulary. Undefined means the network did not say (treated as approved). */
  status?: ConversionStatus;
  /**
   * When the network's status means different things depending on where the conversion stands,
   * the status to use for each current status, e.g. impact.com's `REVERSED` is
   * `{ status: 'refunded', statusByCurrent: { pending: 'declined' } }`. Decided by the attribution
   * engine with the stored conversion in view; a current status not listed keeps `status`.
   */
  statusByCurrent?: StatusByCurrent;
  /** What the network pays for this conversion, as an exact decimal string. */
  payout?: DecimalAmount;
  /** The sale value (the customer's order amount), as an exact decimal string. */
  revenue?: DecimalAmount;
  /** ISO 4217 currency code, upper case. */
  currency?: string;
  /**
   * The buyer's country, ISO 3166-1 alpha-2, upper case: compared with the click's country by the
   * `geo_mismatch` fraud signal. Set it when the network tells where the buyer is.
   */
  country?: string;
  /**
   * The buyer's IP address (v4 or v6) when the network sends it: the tracker places it in a country
   * (offline, with the click's own lookup) when no `country` is given, and keeps only that country.
   */
  buyerIp?: string;
  /** Anything else worth keeping from the network's message (kept in the postback log). */
  extras?: Record<string, string>;
}
