/** Why a postback was not counted, in plain words, and what to do about it. */
export function explainOutcome(outcome: string, reason: string | null): { what: string; todo: string } | undefined {
  const r = reason ?? '';
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
