import { defineTarget, mapEvent, type EventMappingRule, type TargetBuild, type TargetContext, type TargetConversion } from '@postwire/plugin-sdk';
import { readTikTokAnswer } from './tiktok-events.answer';
import { TIKTOK_EVENTS_CONFIG, type TikTokEventsConfig } from './tiktok-events.config';
import { TIKTOK_NORMALISATION, tiktokUser } from './tiktok-events.user';

/** TikTok's standard web events (TikTok Ads Manager help, "About supported standard events"). */
export const TIKTOK_EVENTS = [
  'AddPaymentInfo',
  'AddToCart',
  'AddToWishlist',
  'ApplicationApproval',
  'ClickButton',
  'CompletePayment',
  'CompleteRegistration',
  'Contact',
  'CustomizeProduct',
  'Download',
  'FindLocation',
  'InitiateCheckout',
  'PlaceAnOrder',
  'Purchase',
  'Schedule',
  'Search',
  'StartTrial',
  'SubmitApplication',
  'SubmitForm',
  'Subscribe',
  'ViewContent',
] as const;

/** Approved conversions: a lead goal is a submitted form, a registration a registration, anything else a purchase. */
const DEFAULT_MAPPING: readonly EventMappingRule[] = [
  { status: 'approved', goal: 'lead', event: 'SubmitForm' },
  { status: 'approved', goal: 'registration', event: 'CompleteRegistration' },
  { status: 'approved', event: 'Purchase' },
];

const notSent = (reason: string): TargetBuild => ({ kind: 'not_sent', reason });

function rulesOf(context: TargetContext): readonly EventMappingRule[] {
  return context.mapping.length ? context.mapping : DEFAULT_MAPPING;
}

function describeStatus(conversion: Pick<TargetConversion, 'status' | 'goal'>): string {
  return `status ${conversion.status}${conversion.goal ? `, goal ${conversion.goal}` : ''}`;
}

function eventUrl(config: TikTokEventsConfig): string | null {
  if (!/^v\d+(\.\d+)*$/.test(config.apiVersion)) return null;
  try {
    return `${new URL(config.apiBaseUrl).toString().replace(/\/+$/, '')}/open_api/${config.apiVersion}/event/track/`;
  } catch {
    return null;
  }
}

/** The landing URL when it is an http(s) URL (TikTok refuses a page.url that is not one); else null. */
function httpUrl(raw: string | null): string | null {
  if (!raw) return null;
  try {
    const url = new URL(raw.trim());
    return url.protocol === 'http:' || url.protocol === 'https:' ? raw.trim() : null;
  } catch {
    return null;
  }
}

function send(conversion: TargetConversion, config: TikTokEventsConfig, event: string): TargetBuild {
  const url = eventUrl(config);
  if (url === null) return notSent(`the TikTok settings are wrong: apiBaseUrl "${config.apiBaseUrl}" or apiVersion "${config.apiVersion}" is not valid`);
  if (config.requireTtclid && !conversion.click.identifiers.ttclid?.trim()) return notSent('no TikTok click id (ttclid) was captured on the click');
  const testEventCode = (config.testEventCode as string | undefined) || null;
  if (conversion.isTest && !testEventCode) return notSent('a test conversion is sent to TikTok only with a test event code (setting testEventCode)');
  const user = tiktokUser(conversion);
  if (Object.keys(user).length === 0) return notSent('nothing TikTok can match the event on (no ttclid, _ttp, email, phone, IP or user agent)');
  const amount = config.value === 'revenue' ? conversion.revenue : config.value === 'payout' ? conversion.payout : null;
  const value = amount === null || amount.trim() === '' ? NaN : Number(amount);
  // properties.value is a number and currency its ISO 4217 code; a value without a currency would be meaningless.
  const properties = Number.isFinite(value) && value >= 0 && conversion.currency ? { value, currency: conversion.currency } : undefined;
  const pageUrl = httpUrl(conversion.click.landingUrl);
  const body = {
    event_source: 'web',
    event_source_id: config.pixelCode,
    ...(conversion.isTest ? { test_event_code: testEventCode } : {}),
    data: [
      {
        event,
        event_time: Math.floor(conversion.occurredAt.getTime() / 1000),
        // The conversion id: stable across retries, and the pixel deduplicates on it.
        event_id: conversion.id,
        user,
        ...(properties ? { properties } : {}),
        ...(pageUrl ? { page: { url: pageUrl } } : {}),
      },
    ],
  };
  return {
    kind: 'send',
    event,
    request: { method: 'POST', url, headers: { 'content-type': 'application/json', 'access-token': config.accessToken }, body: JSON.stringify(body) },
  };
}

/**
 * TikTok Events API 2.0 for web events (`POST /open_api/v1.3/event/track/`). TikTok has no way to
 * retract or restate an event once sent, so a later status change is sent only when it maps to a
 * new event (see README.md).
 */
export const tiktokEventsTarget = defineTarget({
  id: 'tiktok-events',
  displayName: 'TikTok Events API',
  configSchema: TIKTOK_EVENTS_CONFIG,
  events: TIKTOK_EVENTS,
  defaultMapping: DEFAULT_MAPPING,
  normalisation: TIKTOK_NORMALISATION,

  async build(conversion, config, context) {
    const event = mapEvent(rulesOf(context), conversion);
    if (event === null) return notSent(`the event mapping sends nothing for ${describeStatus(conversion)}`);
    return send(conversion, config, event);
  },

  async update(conversion, config, context) {
    const rules = rulesOf(context);
    const now = mapEvent(rules, conversion);
    const before = conversion.previousStatus === null ? null : mapEvent(rules, { status: conversion.previousStatus, goal: conversion.goal });
    // A new event (nothing sent before, or a different event such as SubmitForm then Purchase) is sent;
    // TikTok deduplicates on event name and event_id, so the same conversion id serves both.
    if (now !== null && now !== before) return send(conversion, config, now);
    if (now !== null) return notSent(`${now} was already sent for this conversion`);
    if (before === null) return notSent(`the event mapping sends nothing for ${describeStatus(conversion)}`);
    return notSent(`TikTok's Events API cannot retract or change an event already sent (${before}); the ${conversion.status} status is not sent`);
  },

  read: (answer) => readTikTokAnswer(answer),
});
