import { canonicalFrom, clickIdParamSetting, defineAdapter, readClickIdParam, sentParams } from '@postwire/plugin-sdk';
import type { ConversionStatus } from '@postwire/plugin-sdk';

/** Affise sub accounts that can carry the Postwire click id; all eight are in the pasted URL. */
export const AFFISE_SUB_PARAMS = ['sub1', 'sub2', 'sub3', 'sub4', 'sub5', 'sub6', 'sub7', 'sub8'] as const;

/**
 * Affise's `{status}` codes. 5 is "approved and put on hold": not payable yet, so pending until
 * Affise sends the conversion again with its final status.
 */
export const AFFISE_STATUS: Readonly<Record<string, ConversionStatus>> = Object.freeze({
  '1': 'approved',
  '2': 'pending',
  '3': 'declined',
  '5': 'pending',
});

const mapAffiseStatus = (raw: string): ConversionStatus | undefined => {
  const code = raw.trim();
  return Object.prototype.hasOwnProperty.call(AFFISE_STATUS, code) ? AFFISE_STATUS[code] : undefined;
};

/**
 * Affise affiliate postbacks: a GET with Affise macros. Affise has no click-id macro for
 * affiliate postbacks, so the Postwire click id travels in one of the sub accounts.
 */
export const affiseAdapter = defineAdapter({
  id: 'affise',
  displayName: 'Affise (affiliate postback)',
  methods: ['GET'],
  // A GET with Affise's macros (eight sub accounts plus a dozen values); the strict limits fit.
  limits: { maxFields: 64, maxValueLength: 2048, maxBodyBytes: 64 * 1024, allowLineBreaks: false },
  // A conversion with its transactionid but no click id is kept, unattributed, for reconciliation.
  answers: { withoutClickId: 'unattributed' },
  configSchema: {
    clickIdParam: clickIdParamSetting('The Affise sub account you set to {click_id} in the tracking link (sub1 … sub8)', 'sub1', {
      choices: ['sub1', 'sub2', 'sub3', 'sub4', 'sub5', 'sub6', 'sub7', 'sub8'],
    }),
  },
  parse(request, config) {
    const params = sentParams(request);
    const clickIdParam = config.clickIdParam;
    // A conversion with its transactionid but no click id is stored unattributed (see README).
    const { clickId, extras } = readClickIdParam(params, clickIdParam, {
      keep: AFFISE_SUB_PARAMS,
      hint: `set ${clickIdParam}={click_id} in the Affise tracking link`,
      optional: params.transactionid !== undefined,
    });
    if (params.offerid !== undefined) extras.offerid = params.offerid;
    // {order_sum} is the sale in {order_currency}, which may differ from the payout currency;
    // a canonical postback has one currency, so a sale in another currency is only kept as a note.
    let revenue: string | undefined;
    const orderCurrency = params.order_currency?.trim().toUpperCase();
    if (params.order_sum !== undefined) {
      if (orderCurrency === undefined || orderCurrency === params.currency?.trim().toUpperCase()) revenue = params.order_sum;
      else {
        extras.order_sum = params.order_sum;
        extras.order_currency = params.order_currency!;
      }
    }
    return [
      canonicalFrom(
        {
          clickId,
          txid: params.transactionid,
          status: params.status,
          payout: params.sum,
          revenue,
          currency: params.currency,
          goal: params.goal,
          extras,
        },
        { clickId: clickIdParam, txid: 'transactionid', payout: 'sum', revenue: 'order_sum' },
        mapAffiseStatus,
      ),
    ];
  },
  postbackUrlTemplate(trackerUrl, network) {
    const base = `${trackerUrl.replace(/\/+$/, '')}/postback/${network.slug}`;
    const subs = AFFISE_SUB_PARAMS.map((sub) => `${sub}={${sub}}`).join('&');
    return `${base}?${subs}&transactionid={transactionid}&status={status}&sum={sum}&currency={currency}&goal={goal}&offerid={offerid}&order_sum={order_sum}&order_currency={order_currency}`;
  },
});
