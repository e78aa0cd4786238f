/**
 * What became of one postback or pixel hit, as the postback log and the answer to the sender say it:
 * a new conversion, a repeat, a change, an event that changes nothing, a refusal of the attribution
 * engine (`rejected`), no known click, or a request refused before anything was read or booked
 * (`refused`: a guard, a bad parameter, a rate limit; see {@link POSTBACK_REASONS}).
 */
export const POSTBACK_OUTCOMES = ['accepted', 'duplicate', 'updated', 'ignored', 'rejected', 'unattributed', 'refused'] as const;
export type PostbackOutcome = (typeof POSTBACK_OUTCOMES)[number];
