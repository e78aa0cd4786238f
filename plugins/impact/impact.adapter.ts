import { canonicalFrom, clickIdParamSetting, defineAdapter, parseAmount, readClickIdParam, sentParams } from '@postwire/plugin-sdk';
import type { ConversionStatus } from '@postwire/plugin-sdk';

/** impact.com sub IDs that can carry the Postwire click id (the tracking link's subId1 … subId3). */
export const IMPACT_SUB_PARAMS = ['SubId1', 'SubId2', 'SubId3'] as const;

/**
 * impact.com action states. A modified action stays PENDING with a new payout. A reversed one
 * will never pay: for an approved action that is a refund, but most reversals happen while the
 * action is still pending (the brand rejects it during the locking period), and then it means
 * declined; {@link REVERSED_BY_CURRENT} lets the attribution engine decide with the stored status.
 */
export const IMPACT_STATUS: Readonly<Record<string, ConversionStatus>> = Object.freeze({
  PENDING: 'pending',
  APPROVED: 'approved',
  REVERSED: 'refunded',
});

/** `REVERSED` for a conversion that is still pending: declined, not refunded. */
export const REVERSED_BY_CURRENT = Object.freeze({ pending: 'declined' } as const);

const mapImpactStatus = (raw: string): ConversionStatus | undefined => {
  const state = raw.trim().toUpperCase();
  return Object.prototype.hasOwnProperty.call(IMPACT_STATUS, state) ? IMPACT_STATUS[state] : undefined;
};

/** Informational values kept in `extras`, exactly as sent. */
const EXTRA_PARAMS = ['DeltaPayout', 'DeltaAmount', 'StatusDetail', 'CampaignId', 'EventDate'] as const;

/**
 * impact.com Action Lifecycle event notifications: one request each time an action is tracked,
 * modified or reversed, as a GET (recommended by impact.com) or a POST whose JSON or form body
 * uses the same parameter names. `{ActionId}` is the dedup key, so later notifications update it.
 */
export const impactAdapter = defineAdapter({
  id: 'impact',
  displayName: 'impact.com (action lifecycle notification)',
  methods: ['GET', 'POST'],
  // About twenty parameters, as GET or a flat body; the strict limits fit.
  limits: { maxFields: 64, maxValueLength: 2048, maxBodyBytes: 64 * 1024, allowLineBreaks: false },
  // An action with its ActionId but no click id is kept, unattributed, for reconciliation.
  answers: { withoutClickId: 'unattributed' },
  contentTypes: ['application/json', 'application/x-www-form-urlencoded'],
  configSchema: {
    clickIdParam: clickIdParamSetting('The impact.com sub ID you set to {click_id} in the tracking link (SubId1, SubId2 or SubId3)', 'SubId1', {
      choices: ['SubId1', 'SubId2', 'SubId3'],
    }),
  },
  parse(request, config) {
    const params = sentParams(request);
    const clickIdParam = config.clickIdParam;
    // An action with its ActionId but no click id is stored unattributed (see README).
    const { clickId, extras } = readClickIdParam(params, clickIdParam, {
      keep: [...IMPACT_SUB_PARAMS, ...EXTRA_PARAMS],
      hint: 'add {click_id} to the impact.com tracking link as the matching subId parameter',
      optional: params.ActionId !== undefined,
    });
    let payout: string | undefined = params.Payout;
    let revenue: string | undefined = params.Amount;
    // What a reversed action reports as its amounts is not documented (0 or a negative figure);
    // they no longer matter for a conversion that will not pay, so they are kept only as notes
    // instead of failing the one notification that must get through.
    if (params.Status !== undefined && mapImpactStatus(params.Status) === 'refunded') {
      if (payout !== undefined && !parseAmount(payout).ok) {
        extras.Payout = payout;
        payout = undefined;
      }
      if (revenue !== undefined && !parseAmount(revenue).ok) {
        extras.Amount = revenue;
        revenue = undefined;
      }
    }
    const postback = canonicalFrom(
      {
        clickId,
        txid: params.ActionId,
        status: params.Status,
        payout,
        revenue,
        currency: params.Currency,
        goal: params.ActionTrackerId,
        extras,
      },
      { clickId: clickIdParam, txid: 'ActionId', status: 'Status', payout: 'Payout', revenue: 'Amount', currency: 'Currency', goal: 'ActionTrackerId' },
      mapImpactStatus,
    );
    if (postback.status === 'refunded') postback.statusByCurrent = { ...REVERSED_BY_CURRENT };
    return [postback];
  },
  postbackUrlTemplate(trackerUrl, network) {
    const base = `${trackerUrl.replace(/\/+$/, '')}/postback/${network.slug}`;
    const names = [...IMPACT_SUB_PARAMS, 'ActionId', 'ActionTrackerId', 'Status', 'Payout', 'Amount', 'Currency', ...EXTRA_PARAMS];
    return `${base}?${names.map((name) => `${name}={${name}}`).join('&')}`;
  },
});
