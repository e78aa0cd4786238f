import { type TrafficSourcePreset, definePreset } from '@postwire/plugin-sdk';

/**
 * Outbound postback formats of push, pop and native traffic sources. Every template comes from
 * the source's own documentation (see `reference` and README.md). Parts written in CAPITALS
 * (`YOUR_AID`, `YOUR_POSTBACK_KEY` …) are per-account values the source shows in its
 * dashboard; they are deliberately not `{macros}`, so a template that was not filled in fails
 * loudly at the source instead of sending a literal macro.
 */

/** Taboola S2S: the event name is the status word, so create Taboola events named after them. */
export const taboola = definePreset({
  id: 'taboola',
  displayName: 'Taboola (native)',
  postbackUrlTemplate:
    'https://trc.taboola.com/actions-handler/log/3/s2s-action?click-id={external_id}&name={status}&revenue={payout}&currency={currency}&orderid={txid}',
  statusMap: { approved: 'approved', pending: 'pending', declined: 'declined', refunded: 'refunded' },
  clickIdMacro: '{click_id}',
  reference: 'https://developers.taboola.com/pixel/docs/the-postback-url',
});

/**
 * MGID: `e` is the event name set on the campaign's conversion step, the status word followed by a
 * suffix of the campaign's own (MGID's example `e={status}123456` with events `approved123456` …).
 */
export const mgid = definePreset({
  id: 'mgid',
  displayName: 'MGID (native)',
  postbackUrlTemplate: 'https://a.mgid.com/postback?c={external_id}&e={status}YOUR_EVENT_SUFFIX&r={payout}',
  values: {
    YOUR_EVENT_SUFFIX: {
      description:
        "what follows the status word in the event names of the campaign's conversion steps (approved123456 → 123456); Latin letters and digits only",
      pattern: '[A-Za-z0-9]{1,64}',
    },
  },
  // MGID knows no refund; a reversed conversion is reported like a rejected one.
  statusMap: { approved: 'approved', pending: 'pending', declined: 'rejected', refunded: 'rejected' },
  clickIdMacro: '{click_id}',
  reference: 'https://help.mgid.com/postback-setting-algorithm-in-mgid-dashboard/',
});

/** TrafficStars S2S ("Advanced" postback): `key` is the account's postback key from Tracking Tools. */
export const trafficstars = definePreset({
  id: 'trafficstars',
  displayName: 'TrafficStars (pop, push, native, banners)',
  postbackUrlTemplate: 'https://tsyndicate.com/api/v1/cpa/action?clickid={external_id}&value={payout}&key=YOUR_POSTBACK_KEY',
  values: { YOUR_POSTBACK_KEY: { description: 'the postback key TrafficStars generates under Tracking Tools' } },
  // The URL has no status parameter; these words are what {status} would give if added.
  statusMap: { approved: 'approved', pending: 'pending', declined: 'declined', refunded: 'refunded' },
  clickIdMacro: '{click_id}',
  reference: 'https://trafficstars.com/faq/articles/how-to-set-up-tracking-conversions',
});

/** PropellerAds: `aid` and `tid` are the account's ids, shown with the postback URL in its dashboard. */
export const propellerads = definePreset({
  id: 'propellerads',
  displayName: 'PropellerAds (push, pop)',
  postbackUrlTemplate: 'https://ad.propellerads.com/conversion.php?aid=YOUR_AID&pid=&tid=YOUR_TID&visitor_id={external_id}&payout={payout}',
  values: {
    YOUR_AID: { description: 'the aid of the postback URL PropellerAds shows in its dashboard', pattern: '[0-9]{1,20}' },
    YOUR_TID: { description: 'the tid of the postback URL PropellerAds shows in its dashboard', pattern: '[0-9]{1,20}' },
  },
  // The URL has no status parameter; these words are what {status} would give if added.
  statusMap: { approved: 'approved', pending: 'pending', declined: 'declined', refunded: 'refunded' },
  clickIdMacro: '${SUBID}',
  reference: 'https://trackerry.freshdesk.com/support/solutions/articles/35000109524-setting-up-tracking-with-a-traffic-source',
});

export const PRESETS: readonly TrafficSourcePreset[] = [taboola, mgid, trafficstars, propellerads];
