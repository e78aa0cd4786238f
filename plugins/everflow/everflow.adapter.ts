import { canonicalFrom, clickIdParamSetting, defineAdapter, pickAlias, readClickIdParam, sentParams } from '@postwire/plugin-sdk';

/** Everflow partner sub IDs that can carry the Postwire click id (`sub1` … `sub5` are in the pasted URL). */
export const EVERFLOW_SUB_PARAMS = ['sub1', 'sub2', 'sub3', 'sub4', 'sub5', 'sub6', 'sub7', 'sub8', 'sub9', 'sub10'] as const;

/**
 * Parameters kept in `extras` besides the sub IDs that do not carry the click id.
 * `transaction_id` is among them rather than the txid: it is Everflow's *click* id, shared by the
 * base conversion and every event of that click, and Postwire identifies a conversion by
 * (network, txid), so using it would fold all of a click's goals into one conversion. Without a
 * txid Postwire identifies the conversion by (click, goal), which is what it means.
 */
const EXTRA_PARAMS = ['transaction_id', 'event_id'] as const;

/**
 * Everflow partner (affiliate) postbacks: a GET with Everflow's macros. The Postwire click id
 * comes back in whichever sub ID the tracking link carried it in; the goal is the event name.
 */
export const everflowAdapter = defineAdapter({
  id: 'everflow',
  displayName: 'Everflow (partner postback)',
  methods: ['GET'],
  // A GET with Everflow's macros (about twenty at most); the strict limits fit.
  limits: { maxFields: 64, maxValueLength: 2048, maxBodyBytes: 64 * 1024, allowLineBreaks: false },
  configSchema: {
    clickIdParam: clickIdParamSetting('The Everflow sub ID you set to {click_id} in the tracking link (sub1 … sub5 are in the pasted postback URL)', 'sub1', {
      choices: ['sub1', 'sub2', 'sub3', 'sub4', 'sub5'],
    }),
  },
  parse(request, config) {
    const params = sentParams(request);
    const clickIdParam = config.clickIdParam;
    const { clickId, extras } = readClickIdParam(params, clickIdParam, {
      keep: [...EVERFLOW_SUB_PARAMS, ...EXTRA_PARAMS],
      hint: `set ${clickIdParam}={click_id} in the Everflow tracking link`,
    });
    const payoutName = params.payout !== undefined ? 'payout' : 'payout_amount';
    return [
      canonicalFrom(
        {
          clickId,
          payout: pickAlias(params, ['payout', 'payout_amount']),
          revenue: params.sale_amount,
          currency: params.currency,
          goal: params.event_name,
          status: params.status,
          extras,
        },
        { clickId: clickIdParam, payout: payoutName, revenue: 'sale_amount', goal: 'event_name' },
      ),
    ];
  },
  postbackUrlTemplate(trackerUrl, network) {
    const base = `${trackerUrl.replace(/\/+$/, '')}/postback/${network.slug}`;
    return `${base}?transaction_id={transaction_id}&sub1={sub1}&sub2={sub2}&sub3={sub3}&sub4={sub4}&sub5={sub5}&payout={payout}&sale_amount={sale_amount}&event_name={event_name}&event_id={event_id}`;
  },
});
