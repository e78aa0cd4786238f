/**
 * What became of one postback or pixel hit, as the postback log and the answer to the sender say it:
 * a new conversion, a repeat, a change, an event that changes nothing, a refusal, or no known click.
 */
export const POSTBACK_OUTCOMES = ['accepted', 'duplicate', 'updated', 'ignored', 'rejected', 'unattributed'] as const;
export type PostbackOutcome = (typeof POSTBACK_OUTCOMES)[number];
