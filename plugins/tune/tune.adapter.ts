import { canonicalFrom, clickIdParamSetting, defineAdapter, pickAlias, readClickIdParam, sentParams } from '@postwire/plugin-sdk';

/**
 * TUNE partner parameters that can carry the Postwire click id. TUNE recommends aff_click_id for
 * unique values (sub IDs are meant for low-cardinality data); aff_sub is what most trackers use.
 */
export const TUNE_CLICK_PARAMS = ['aff_sub', 'aff_sub2', 'aff_sub3', 'aff_sub4', 'aff_sub5', 'aff_click_id'] as const;

/**
 * Kept in `extras`. `transaction_id` is not used as the txid: it identifies TUNE's click session,
 * shared by every goal of the click, and Postwire identifies a conversion by (network, txid), so
 * it would fold all goals of a click into one conversion. Without a txid Postwire uses
 * (click, goal), which is what a session id amounts to.
 */
const EXTRA_PARAMS = ['transaction_id', 'offer_id'] as const;

/**
 * TUNE (formerly HasOffers) partner conversion postbacks: a GET with TUNE macros. The Postwire
 * click id comes back in the partner sub ID (or partner click id) the tracking link carried it
 * in; the goal is TUNE's goal id.
 */
export const tuneAdapter = defineAdapter({
  id: 'tune',
  displayName: 'TUNE / HasOffers (partner postback)',
  methods: ['GET'],
  // A GET with a dozen macros; TUNE caps each sub ID at 500 characters, well inside the strict limits.
  limits: { maxFields: 64, maxValueLength: 2048, maxBodyBytes: 64 * 1024, allowLineBreaks: false },
  configSchema: {
    clickIdParam: clickIdParamSetting('The TUNE tracking-link parameter you set to {click_id}: aff_sub … aff_sub5 or aff_click_id', 'aff_sub', {
      choices: ['aff_sub', 'aff_sub2', 'aff_sub3', 'aff_sub4', 'aff_sub5', 'aff_click_id'],
    }),
  },
  parse(request, config) {
    const params = sentParams(request);
    const clickIdParam = config.clickIdParam;
    const { clickId, extras } = readClickIdParam(params, clickIdParam, {
      keep: [...TUNE_CLICK_PARAMS, ...EXTRA_PARAMS],
      hint: `set ${clickIdParam}={click_id} in the TUNE tracking link`,
    });
    return [
      canonicalFrom(
        {
          clickId,
          payout: params.payout,
          // TUNE's own partner-conversion example returns the sale as {amount}; other integrators
          // write {sale_amount}. Either is read; both at once must agree.
          revenue: pickAlias(params, ['amount', 'sale_amount']),
          currency: params.currency,
          // TUNE's goals have auto-generated positive ids; 0 stands for the offer's own (default) conversion.
          goal: params.goal_id?.trim() === '0' ? undefined : params.goal_id,
          status: params.status,
          extras,
        },
        { clickId: clickIdParam, revenue: params.amount !== undefined ? 'amount' : 'sale_amount', goal: 'goal_id' },
      ),
    ];
  },
  postbackUrlTemplate(trackerUrl, network) {
    const base = `${trackerUrl.replace(/\/+$/, '')}/postback/${network.slug}`;
    const subs = TUNE_CLICK_PARAMS.map((name) => `${name}={${name}}`).join('&');
    return `${base}?${subs}&transaction_id={transaction_id}&payout={payout}&amount={amount}&currency={currency}&goal_id={goal_id}&offer_id={offer_id}`;
  },
});
