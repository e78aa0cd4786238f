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
  // Taboola's other tracking-code macros were not in the material the tokens were checked against; only the click id is shipped.
  tokens: [{ target: 'external_id', macro: '{click_id}', label: 'click id' }],
  tokensReference: 'https://help.taboola.com/hc/en-us/articles/115006850567-How-to-Track-Conversions-Using-Server-to-Server-Integration-S2S-',
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
  // {click_price} is MGID's price per click; MGID warns a click may later be uncounted, so cost is an estimate.
  tokens: [
    { target: 'external_id', macro: '{click_id}', label: 'click id' },
    { target: 'cost', macro: '{click_price}', label: 'click price' },
    { target: 'sub1', macro: '{widget_id}', label: 'widget' },
    { target: 'sub2', macro: '{teaser_id}', label: 'teaser' },
    { target: 'sub3', macro: '{campaign_id}', label: 'campaign' },
    { target: 'sub4', macro: '{geo}', label: 'country' },
  ],
  tokensReference: 'https://help.mgid.com/macros.-setting-up-non-standard-markup-for-links-to-track-traffic',
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
  // {cost} is "the actual amount paid" (dynamic CPM); {price} would be the bid.
  tokens: [
    { target: 'external_id', macro: '{click_id}', label: 'click id' },
    { target: 'cost', macro: '{cost}', label: 'cost' },
    { target: 'sub1', macro: '{site_id}', label: 'site' },
    { target: 'sub2', macro: '{adspot_id}', label: 'ad spot' },
    { target: 'sub3', macro: '{creative_id}', label: 'creative' },
    { target: 'sub4', macro: '{campaign_id}', label: 'campaign' },
    { target: 'sub5', macro: '{geo}', label: 'country' },
    { target: 'sub6', macro: '{device_type}', label: 'device' },
  ],
  tokensReference: 'https://support.trafficstars.com/advertising/tracking/what-are-the-available-dynamic-parameters',
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
  // Zone and cost macros are widely used but were not found in a PropellerAds page; only the click id is shipped.
  tokens: [{ target: 'external_id', macro: '${SUBID}', label: 'click id' }],
});

// The presets below carry no postback URL: the source documents its click-id macro, but its
// conversion URL is account-specific (shown in its dashboard) or it takes conversions through an
// API. A traffic source made from one is given its postbackUrl by the admin.

/** ExoClick (pop, push, native, banners): `{conversions_tracking}` is the data object its conversion API takes as `tag`. */
export const exoclick = definePreset({
  id: 'exoclick',
  displayName: 'ExoClick (pop, push, native, banners)',
  statusMap: { approved: 'approved', pending: 'pending', declined: 'declined', refunded: 'refunded' },
  clickIdMacro: '{conversions_tracking}',
  reference: 'https://docs.exoclick.com/docs/conversion-tracking-api/',
  tokens: [{ target: 'external_id', macro: '{conversions_tracking}', label: 'click id' }],
});

/** TrafficJunky (adult display, pop): `{ACLID}` is its click id for S2S conversion tracking. */
export const trafficjunky = definePreset({
  id: 'trafficjunky',
  displayName: 'TrafficJunky (display, pop)',
  statusMap: { approved: 'approved', pending: 'pending', declined: 'declined', refunded: 'refunded' },
  clickIdMacro: '{ACLID}',
  reference: 'https://www.trafficjunky.com/blog/2016/09/22/using-url-tokens/',
  tokens: [{ target: 'external_id', macro: '{ACLID}', label: 'click id' }],
});

/** Outbrain Amplify (native): `{{ob_click_id}}` is what its S2S conversions are matched on. */
export const outbrain = definePreset({
  id: 'outbrain',
  displayName: 'Outbrain (native)',
  statusMap: { approved: 'approved', pending: 'pending', declined: 'declined', refunded: 'refunded' },
  clickIdMacro: '{{ob_click_id}}',
  reference: 'https://www.outbrain.com/help/advertisers/server-app-integrations/#postback',
  tokens: [{ target: 'external_id', macro: '{{ob_click_id}}', label: 'click id' }],
});

/** Outbrain DSP (formerly Zemanta): `{postbackid}` identifies the click; the postback URL is the conversion definition's. */
export const outbrainDsp = definePreset({
  id: 'outbrain-dsp',
  displayName: 'Outbrain DSP (native programmatic)',
  statusMap: { approved: 'approved', pending: 'pending', declined: 'declined', refunded: 'refunded' },
  clickIdMacro: '{postbackid}',
  reference: 'https://intercom.help/outbrain_dsp/en/articles/8226128-setting-up-postback-calls',
  tokens: [{ target: 'external_id', macro: '{postbackid}', label: 'click id' }],
});

/** EZmob (pop, push, native): macros in curly braces, filled at click time. */
export const ezmob = definePreset({
  id: 'ezmob',
  displayName: 'EZmob (pop, push, native)',
  statusMap: { approved: 'approved', pending: 'pending', declined: 'declined', refunded: 'refunded' },
  clickIdMacro: '{subid}',
  reference: 'https://helpdesk.ezmob.com/en/article/tracking-tokens-and-parameters-explained-r5m1yu/',
  // {bid} is "the winning bid amount for that click".
  tokens: [
    { target: 'external_id', macro: '{subid}', label: 'click id' },
    { target: 'cost', macro: '{bid}', label: 'bid' },
    { target: 'sub1', macro: '{banner}', label: 'creative' },
    { target: 'sub2', macro: '{campaign}', label: 'campaign' },
    { target: 'sub3', macro: '{country}', label: 'country' },
    { target: 'sub4', macro: '{device_type}', label: 'device' },
  ],
});

/** RichAds (push, pop, native): macros are upper case in square brackets and must be pasted as written. */
export const richads = definePreset({
  id: 'richads',
  displayName: 'RichAds (push, pop, native)',
  statusMap: { approved: 'approved', pending: 'pending', declined: 'declined', refunded: 'refunded' },
  clickIdMacro: '[CLICK_ID]',
  // RichAds' own macro page was not in the searchable material; this list states it was checked against it.
  reference: 'https://validvisit.com/tools/tracking-tokens/richads',
  tokens: [
    { target: 'external_id', macro: '[CLICK_ID]', label: 'click id' },
    { target: 'sub1', macro: '[SITE_ID]', label: 'site' },
    { target: 'sub2', macro: '[PUBLISHER_ID]', label: 'publisher' },
    { target: 'sub3', macro: '[CREATIVE_ID]', label: 'creative' },
    { target: 'sub4', macro: '[CAMPAIGN_ID]', label: 'campaign' },
  ],
});

/** Google Ads (search, display, Performance Max): ValueTrack parameters; `{gclid}` is the click id. */
export const googleAds = definePreset({
  id: 'google-ads',
  displayName: 'Google Ads (ValueTrack)',
  statusMap: { approved: 'approved', pending: 'pending', declined: 'declined', refunded: 'refunded' },
  clickIdMacro: '{gclid}',
  reference: 'https://developers.google.com/google-ads/api/performance-max/valuetrack',
  tokens: [
    { target: 'external_id', macro: '{gclid}', label: 'click id' },
    { target: 'sub1', macro: '{campaignid}', label: 'campaign' },
    { target: 'sub2', macro: '{creative}', label: 'ad' },
    { target: 'sub3', macro: '{placement}', label: 'placement' },
    { target: 'sub4', macro: '{keyword}', label: 'keyword' },
    { target: 'sub5', macro: '{device}', label: 'device' },
  ],
  tokensReference: 'https://support.google.com/google-ads/answer/6305348',
});

/** TikTok Ads: URL macros are upper case between double underscores; `__CLICKID__` is the click id (ttclid). */
export const tiktok = definePreset({
  id: 'tiktok',
  displayName: 'TikTok Ads',
  statusMap: { approved: 'approved', pending: 'pending', declined: 'declined', refunded: 'refunded' },
  clickIdMacro: '__CLICKID__',
  reference: 'https://ads.tiktok.com/help/article/tiktok-click-id',
  tokens: [
    { target: 'external_id', macro: '__CLICKID__', label: 'click id' },
    { target: 'sub1', macro: '__CAMPAIGN_ID__', label: 'campaign' },
    { target: 'sub2', macro: '__AID__', label: 'ad group' },
    { target: 'sub3', macro: '__CID__', label: 'ad' },
  ],
  // The campaign, ad group and ad macros are listed by attribution tools' setup guides, not on TikTok's click-id page.
  tokensReference: 'https://ruler-documentation.readme.io/docs/tiktok-ads',
});

export const PRESETS: readonly TrafficSourcePreset[] = [
  taboola,
  mgid,
  trafficstars,
  propellerads,
  exoclick,
  trafficjunky,
  outbrain,
  outbrainDsp,
  ezmob,
  richads,
  googleAds,
  tiktok,
];
