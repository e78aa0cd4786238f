import { isInsideWindow } from './window';

/** What the postback's click told us, as far as the checks before the attribution engine need it. */
export interface PrecheckClick {
  /** The click's creation time (see {@link isInsideWindow}). */
  clickAt: Date;
  /** The network of the click's offer. */
  networkId: string;
  /** The network's attribution window, in days. */
  windowDays: number;
  /** Whether the postback's goal allows several conversions per click (told apart by txid). */
  manyPerClick: boolean;
}

/** The postback, as far as the checks before the attribution engine need it. */
export interface PrecheckPostback {
  /** Set when the postback named its network (`/postback/:network`). */
  networkId?: string;
  txid?: string;
  receivedAt: Date;
}

/**
 * Whether a postback may go on to the attribution engine (`decideConversion`). Otherwise it is
 * logged and books nothing (`unattributed` / `rejected`, with the reason), or, for a missing txid
 * where the goal requires one, it is refused as bad input (`missing_txid`: the caller answers 400
 * naming `txid`, and stores nothing).
 */
export type PrecheckVerdict =
  | { ok: true }
  | { ok: false; outcome: 'unattributed'; reason: 'unknown_click' }
  | { ok: false; outcome: 'rejected'; reason: 'network_mismatch' | 'outside_window' }
  | { ok: false; outcome: 'refused'; reason: 'missing_txid' };

/**
 * The checks a postback passes before the engine sees it, in order: the click is known, it belongs
 * to the network the postback came through, the postback is inside the attribution window, and a
 * goal with several conversions per click has a txid. `click` is `undefined` for an unknown click id.
 */
export function precheckPostback(postback: PrecheckPostback, click: PrecheckClick | undefined): PrecheckVerdict {
  if (!click) return { ok: false, outcome: 'unattributed', reason: 'unknown_click' };
  if (postback.networkId && postback.networkId !== click.networkId) return { ok: false, outcome: 'rejected', reason: 'network_mismatch' };
  if (!isInsideWindow(click.clickAt, postback.receivedAt, click.windowDays)) return { ok: false, outcome: 'rejected', reason: 'outside_window' };
  if (click.manyPerClick && !postback.txid) return { ok: false, outcome: 'refused', reason: 'missing_txid' };
  return { ok: true };
}
