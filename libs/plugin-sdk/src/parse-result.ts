import type { CanonicalPostback } from './canonical-postback';

/**
 * What {@link NetworkAdapter.parse} returns for a notification of an event type the adapter reads but
 * does not turn into conversions (a type the network added later, an affiliation, a rebill notice).
 * It is a result, not an error: the tracker acknowledges it the way the network expects a success
 * (networks retry refusals, and some switch the URL off over them) and keeps it in the postback log
 * as `ignored`, reason `unsupported_event:<event>`. Make one with {@link ignoredEvent}.
 */
export interface IgnoredEvent {
  readonly ignored: true;
  /** The event type as the network names it; the tracker logs at most its first 64 characters. */
  readonly event: string;
}

/**
 * What an adapter's `parse` gives: zero or more canonical postbacks (zero for a test ping the network
 * sends when the URL is saved), or an {@link IgnoredEvent}.
 */
export type ParseResult = CanonicalPostback[] | IgnoredEvent;

/** The {@link IgnoredEvent} for an event type the adapter does not use, named as the network sent it. */
export function ignoredEvent(event: string): IgnoredEvent {
  return { ignored: true, event };
}

/** True when a parse result is an {@link IgnoredEvent} rather than a list of postbacks. */
export function isIgnoredEvent(result: ParseResult): result is IgnoredEvent {
  return !Array.isArray(result) && (result as Partial<IgnoredEvent> | null)?.ignored === true;
}
