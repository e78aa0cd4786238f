import type { ConversionEvent } from '@postwire/core';
import type { ClickContext } from './click-context';

/** One inbound conversion event, already validated and in Postwire's vocabulary. */
export interface InboundConversion extends ConversionEvent {
  clickId: string;
  /** Set when the postback came through `/postback/:network`; must match the click's network. */
  networkId?: string;
  /** The parameters as received (size-capped by the caller), kept in the postback log. */
  params: Record<string, unknown>;
  ip?: string;
  receivedAt: Date;
  /**
   * The buyer's country (ISO 3166-1 alpha-2) when the network sent it or its buyer's IP (placed by the
   * caller, the IP itself is not kept): compared with the click's by the `geo_mismatch` signal.
   */
  country?: string;
  /**
   * The click's context when the caller already loaded it (the guard of a bare `/postback` does, to
   * find the network); used when it is for this click and goal, so the click is not read twice.
   */
  context?: ClickContext;
  /**
   * A test postback (the console's test tool): it makes a conversion of its own, marked test, that
   * never matches or changes a real one, is left out of reports and alerts, and is forwarded only
   * when `forward` is true.
   */
  test?: { forward: boolean };
  /**
   * SHA-256 digests of the buyer's email, phone (one per normalisation) and external id when the network sent them (hashed by the
   * caller while the request is in memory): kept with the deliveries for forwarding targets, never the raw values.
   */
  personalHashes?: PersonalDigests;
}

/**
 * SHA-256 hex digests of normalised personal data: for email and phone one per normalisation, keyed by
 * its name (see the plugin SDK's `hashPersonalData` and `PersonalDigests`, of which this is the stored shape).
 */
export interface PersonalDigests {
  email?: Record<string, string>;
  phone?: Record<string, string>;
  externalId?: string;
}
