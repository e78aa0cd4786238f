import {
  defineTarget,
  mapEvent,
  type EventMappingRule,
  type TargetBuild,
  type TargetContext,
  type TargetConversion,
  type TargetRequest,
} from '@postwire/plugin-sdk';
import { readGoogleAdsAnswer } from './google-ads.answer';
import { GOOGLE_ADS_CONFIG, type GoogleAdsConfig } from './google-ads.config';
import { googleAccessToken } from './google-ads.oauth';
import { adjustmentBody, clickConversionBody, googleAdsSettings, googleClickId } from './google-ads.requests';
import { GOOGLE_NORMALISATION } from './google-ads.user-identifiers';

/** Google Ads has no event names: a conversion is either uploaded to the configured conversion action or not. */
export const GOOGLE_ADS_UPLOAD = 'upload';

/** By default only approved conversions are uploaded; a later decline or refund retracts them. */
const DEFAULT_MAPPING: readonly EventMappingRule[] = [{ status: 'approved', event: GOOGLE_ADS_UPLOAD }];

// Google Ads imports a click conversion up to 90 days after the click (the longest click-through window).
const MAX_CLICK_AGE_MS = 90 * 24 * 60 * 60 * 1000;

const notSent = (reason: string): TargetBuild => ({ kind: 'not_sent', reason });

function rulesOf(context: TargetContext): readonly EventMappingRule[] {
  return context.mapping.length ? context.mapping : DEFAULT_MAPPING;
}

function describeStatus(conversion: Pick<TargetConversion, 'status' | 'goal'>): string {
  return `status ${conversion.status}${conversion.goal ? `, goal ${conversion.goal}` : ''}`;
}

/**
 * The request with the headers of every API call (OAuth bearer token, developer token, and the manager account
 * when there is one), or the failed token exchange's verdict: nothing is sent without a token.
 */
async function authorized(
  config: GoogleAdsConfig,
  loginCustomerId: string | null,
  context: TargetContext,
  event: string,
  request: Omit<TargetRequest, 'headers'>,
): Promise<TargetBuild> {
  const token = await googleAccessToken(config, context);
  if (!token.ok) return { kind: 'failed', verdict: token.verdict };
  const headers = {
    'content-type': 'application/json',
    authorization: `Bearer ${token.token}`,
    'developer-token': config.developerToken,
    ...(loginCustomerId ? { 'login-customer-id': loginCustomerId } : {}),
  };
  return { kind: 'send', event, request: { ...request, headers } };
}

/** Why Google Ads cannot have this conversion, being too long after its click; null when it is within the window. */
function tooLate(conversion: TargetConversion): string | null {
  const age = conversion.occurredAt.getTime() - conversion.click.at.getTime();
  if (age <= MAX_CLICK_AGE_MS) return null;
  return `the conversion came ${Math.floor(age / 86_400_000)} days after its click; Google Ads imports click conversions up to 90 days after the click`;
}

async function upload(conversion: TargetConversion, config: GoogleAdsConfig, context: TargetContext): Promise<TargetBuild> {
  const settings = googleAdsSettings(config);
  if (!settings.ok) return notSent(`the Google Ads settings are wrong: ${settings.problem}`);
  const clickId = googleClickId(conversion);
  if (!clickId) return notSent('no Google click id (gclid, gbraid or wbraid) was captured on the click');
  const late = tooLate(conversion);
  if (late) return notSent(late);
  const body = clickConversionBody(conversion, config, settings.conversionAction, clickId);
  return authorized(config, settings.loginCustomerId, context, GOOGLE_ADS_UPLOAD, { method: 'POST', url: settings.endpoint('uploadClickConversions'), body });
}

async function adjust(conversion: TargetConversion, config: GoogleAdsConfig, context: TargetContext, type: 'RETRACTION' | 'RESTATEMENT'): Promise<TargetBuild> {
  const settings = googleAdsSettings(config);
  if (!settings.ok) return notSent(`the Google Ads settings are wrong: ${settings.problem}`);
  const clickId = googleClickId(conversion);
  if (!clickId) return notSent('no Google click id was captured on the click, so nothing was uploaded that could be adjusted');
  // https://developers.google.com/google-ads/api/docs/conversions/upload-adjustments: adjustments work with gclid and gbraid, not wbraid.
  if ('wbraid' in clickId) return notSent('Google Ads does not accept adjustments of conversions uploaded with a wbraid');
  const late = tooLate(conversion);
  if (late) return notSent(`nothing was uploaded that could be adjusted: ${late}`);
  const body = adjustmentBody(conversion, config, settings.conversionAction, type, context.now);
  if (body === null) return notSent('no conversion value to restate (the value setting is none or the network sent no amount)');
  return authorized(config, settings.loginCustomerId, context, type, { method: 'POST', url: settings.endpoint('uploadConversionAdjustments'), body });
}

/**
 * Google Ads click conversions ("Import from clicks"): `customers/{id}:uploadClickConversions`
 * with gclid / gbraid / wbraid, and `:uploadConversionAdjustments` for a later retraction or
 * restatement. See README.md for the rules and where they come from.
 */
export const googleAdsTarget = defineTarget({
  id: 'google-ads',
  displayName: 'Google Ads (click conversions)',
  configSchema: GOOGLE_ADS_CONFIG,
  // The mapping only chooses whether a conversion counts (`upload`) or not (null). A status change of an uploaded
  // conversion is logged as Google's adjustment type (RETRACTION, RESTATEMENT): derived from the mapping, never chosen.
  events: [GOOGLE_ADS_UPLOAD],
  defaultMapping: DEFAULT_MAPPING,
  normalisation: GOOGLE_NORMALISATION,

  async build(conversion, config, context) {
    if (mapEvent(rulesOf(context), conversion) === null) return notSent(`the event mapping sends nothing for ${describeStatus(conversion)}`);
    return upload(conversion, config, context);
  },

  /**
   * A later status change. If the status forwarded before was not uploaded (the mapping dropped
   * it), this is the first upload. Otherwise the uploaded conversion is adjusted: retracted when
   * the mapping now drops it (a decline, a refund), restated with the current value when it still
   * counts (e.g. pending → approved with the final amount).
   */
  async update(conversion, config, context) {
    const rules = rulesOf(context);
    const now = mapEvent(rules, conversion);
    const before = conversion.previousStatus === null ? null : mapEvent(rules, { status: conversion.previousStatus, goal: conversion.goal });
    if (before === null) {
      return now === null ? notSent(`the event mapping sends nothing for ${describeStatus(conversion)}`) : upload(conversion, config, context);
    }
    return adjust(conversion, config, context, now === null ? 'RETRACTION' : 'RESTATEMENT');
  },

  read: (answer) => readGoogleAdsAnswer(answer),
});
