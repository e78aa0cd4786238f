import type { ReadOf } from '../api/responses';

/** A postback-log reason code, as the API declares it (POSTBACK_REASONS in libs/core). */
export type PostbackReason = NonNullable<ReadOf<'/api/postbacks'>['items'][number]['reasonCode']>;

/**
 * What each reason code is called in the console. A `Record` over the API's enum, so a reason added
 * to the server without a label here fails the console's typecheck.
 */
export const REASON_LABELS: Record<PostbackReason, string> = {
  accepted: 'Accepted',
  updated: 'Updated',
  duplicate: 'Duplicate',
  ignored: 'Ignored',
  unknown_click: 'Unknown click',
  no_click_id: 'No click id',
  network_mismatch: 'Other network',
  outside_window: 'Outside window',
  txid_conflict: 'Txid of another click',
  test: 'Test',
  bad_signature: 'Bad signature',
  stale_timestamp: 'Stale timestamp',
  replayed: 'Replayed',
  ip_refused: 'IP refused',
  bad_key: 'Bad API key',
  bad_parameter: 'Bad parameter',
  rate_limited: 'Rate-limited',
  unknown_network: 'Unknown network',
  method_not_allowed: 'Method not allowed',
  bad_request: 'Bad request',
  unavailable: 'Unavailable',
};

/** The reason codes in the order of the labels, for a filter. */
export const REASONS = Object.keys(REASON_LABELS) as PostbackReason[];

/** Why a request was refused (outcome `refused`), in plain words, and what to do about it. */
const REFUSALS: Partial<Record<PostbackReason, (detail: string) => { what: string; todo: string }>> = {
  bad_signature: () => ({
    what: 'The signature did not check out.',
    todo: "Check the network's signing secret (or the adapter's passphrase) against what the network signs with; see docs/signing.md.",
  }),
  stale_timestamp: () => ({
    what: 'The signature is valid but its timestamp is more than 5 minutes away from our clock.',
    todo: "Check the sender's clock; it must sign each request with the current time.",
  }),
  replayed: () => ({
    what: 'This signed request was already received.',
    todo: 'Nothing if it is a retry of a booked postback; a sender retrying must sign again with a fresh timestamp.',
  }),
  ip_refused: () => ({
    what: "The sender's address is not in the network's IP allowlist.",
    todo: "Add the network's current addresses to its allowlist, or check that TRUST_PROXY names your proxy.",
  }),
  bad_key: () => ({
    what: 'The network requires its API key, and this request had none, another one, or a revoked one.',
    todo: 'Give the network its current key (the "key" parameter or the X-API-Key header).',
  }),
  bad_parameter: (detail) => ({
    what: `A parameter could not be read${detail.includes(':') ? `: ${detail.split(':').slice(1).join(':')}` : ''}.`,
    todo: 'Check the macro the network fills in for it (a plain number with a dot, an ISO currency code, a click id).',
  }),
  rate_limited: () => ({
    what: 'Too many requests from this address or for this network in one minute.',
    todo: 'Raise RATE_LIMIT_IP_PER_MIN or RATE_LIMIT_NETWORK_PER_MIN if this traffic is expected; the sender retries after Retry-After.',
  }),
  unknown_network: () => ({ what: 'The postback URL names no network of this tracker.', todo: "Copy the network's postback URL again from its settings." }),
  method_not_allowed: () => ({ what: "The request used a method the network's adapter does not take.", todo: 'Send postbacks with GET or POST.' }),
  bad_request: () => ({ what: 'The request could not be read.', todo: 'Open the parameters below to see what was sent.' }),
  unavailable: () => ({ what: 'The tracker could not take the request at that moment.', todo: 'The sender retries; if this repeats, check the tracker log.' }),
};

/** Why a postback was not counted, in plain words, and what to do about it. */
export function explainOutcome(outcome: string, reason: string | null, reasonCode?: PostbackReason | null): { what: string; todo: string } | undefined {
  const r = reason ?? '';
  const refusal = outcome === 'refused' && reasonCode ? REFUSALS[reasonCode] : undefined;
  if (refusal) return refusal(r);
  if (outcome === 'unattributed' || r === 'unknown_click')
    return {
      what: 'No click with this click id is known (yet).',
      todo: 'Check that the offer URL passes {click_id} and that the network sends it back unchanged. A postback that arrives before its click is matched once the click is recorded.',
    };
  if (r === 'network_mismatch')
    return {
      what: 'The click belongs to an offer of another network.',
      todo: "Send this network's postbacks to its own postback URL, or fix the offer's network.",
    };
  if (r === 'outside_window')
    return {
      what: "The conversion came after the network's attribution window closed.",
      todo: "Raise the network's attribution window if late conversions are expected.",
    };
  if (r.startsWith('transition_not_allowed'))
    return {
      what: `The status change ${r.split(':')[1] ?? ''} is not allowed (for example a declined conversion cannot become pending).`,
      todo: 'Nothing, if the network resent an old status. Otherwise ask the network which status is right.',
    };
  if (r.startsWith('goal_mismatch'))
    return {
      what: `The postback names another goal (${r.split(':')[1] ?? ''}) than the conversion it updates.`,
      todo: 'Give each goal its own txid, or mark the goal as "many per click" on the offer.',
    };
  if (r.startsWith('txid_mismatch'))
    return {
      what: 'A second conversion for the same click with another txid.',
      todo: 'Mark the goal as "many per click" on the offer if the network sends rebills or upsells.',
    };
  if (r.startsWith('invalid_'))
    return {
      what: `The ${r.slice('invalid_'.length)} value could not be read.`,
      todo: 'Check the macro the network fills in for it; it must be a plain number or an ISO currency code.',
    };
  if (outcome === 'rejected' || outcome === 'ignored')
    return { what: reason ?? 'Not counted.', todo: 'Open the conversion trace of the click to see what it was compared with.' };
  return undefined;
}
