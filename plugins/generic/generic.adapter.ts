import { BadParameterError, CANONICAL_PARAMS, canonicalFrom, defineAdapter, pickAlias, requestParams } from '@postwire/plugin-sdk';

/** Parameter names the generic postback accepts (Postwire's canonical names and their aliases). */
export const GENERIC_PARAMS = CANONICAL_PARAMS;

/**
 * Postwire's own postback format: what `/postback` speaks, and what any network that lets you
 * write a free-form postback URL can be pointed at.
 */
export const genericAdapter = defineAdapter({
  id: 'generic',
  displayName: 'Generic postback',
  methods: ['GET', 'POST'],
  contentTypes: ['application/x-www-form-urlencoded', 'application/json'],
  configSchema: {},
  parse(request) {
    const params = requestParams(request);
    // A value of only spaces counts as not sent: canonicalFrom trims after its emptiness check, so
    // it would otherwise come out as an empty click id or transaction id.
    const pick = (field: keyof typeof GENERIC_PARAMS) => {
      const value = pickAlias(params, GENERIC_PARAMS[field]);
      return value === undefined || value.trim() === '' ? undefined : value;
    };
    const clickId = pick('clickId');
    if (!clickId) throw new BadParameterError('click_id', 'is required (also accepted as clickid, cid or subid)');
    const revenueName = params.amount !== undefined ? 'amount' : 'revenue';
    return [
      canonicalFrom(
        {
          clickId,
          txid: pick('txid'),
          payout: pick('payout'),
          revenue: pick('revenue'),
          status: pick('status'),
          goal: pick('goal'),
          currency: pick('currency'),
          country: pick('country'),
          buyerIp: pick('buyerIp'),
        },
        { revenue: revenueName },
      ),
    ];
  },
  postbackUrlTemplate(trackerUrl, network) {
    const base = trackerUrl.replace(/\/+$/, '');
    return `${base}/postback/${network.slug}?click_id={click_id}&payout={payout}&amount={amount}&status={status}&txid={txid}&goal={goal}&currency={currency}`;
  },
});
