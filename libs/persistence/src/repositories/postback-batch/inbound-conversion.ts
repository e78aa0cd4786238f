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
}
