import {
  answerJson,
  defineTarget,
  mapEvent,
  retryAfterMs,
  sha256NormalizedEmail,
  sha256NormalizedPhone,
  sha256Trimmed,
  type TargetBuild,
  type TargetContext,
  type TargetConversion,
  type TargetAnswer,
  type TargetVerdict,
  type EventMappingRule,
} from '@postwire/plugin-sdk';

/**
 * Meta Conversions API (server events to a dataset/pixel).
 *
 * Request, per Meta's docs:
 * - endpoint `POST https://graph.facebook.com/{version}/{pixel id}/events`, body `{ data: [event], test_event_code? }`
 *   (https://developers.facebook.com/docs/marketing-api/conversions-api/using-the-api);
 * - event fields `event_name`, `event_time` (Unix seconds, at most 7 days old), `event_id`, `action_source`,
 *   `event_source_url` (https://developers.facebook.com/docs/marketing-api/conversions-api/parameters/server-event);
 * - `user_data`: `fbc` (`fb.1.<ms>.<fbclid>`), `fbp`, `client_ip_address`, `client_user_agent`, and `em`/`ph`/`external_id`
 *   normalised and SHA-256 hex (https://developers.facebook.com/docs/marketing-api/conversions-api/parameters/customer-information-parameters,
 *   https://developers.facebook.com/docs/marketing-api/conversions-api/parameters/fbp-and-fbc);
 * - `custom_data.value` and `custom_data.currency`
 *   (https://developers.facebook.com/docs/marketing-api/conversions-api/parameters/custom-data).
 * The access token goes in an `Authorization: Bearer` header, not the URL or body, so the delivery log never holds it.
 */

/** Meta refuses events whose `event_time` is more than 7 days in the past. */
export const META_EVENT_WINDOW_MS = 7 * 24 * 3_600_000;

/** Graph API version used when the operator sets none. */
export const META_DEFAULT_GRAPH_VERSION = 'v21.0';

/** Meta's standard events (https://developers.facebook.com/docs/meta-pixel/reference#standard-events). */
export const META_STANDARD_EVENTS = [
  'Purchase',
  'Lead',
  'CompleteRegistration',
  'Subscribe',
  'StartTrial',
  'SubmitApplication',
  'Contact',
  'Schedule',
  'InitiateCheckout',
  'AddPaymentInfo',
  'AddToCart',
  'AddToWishlist',
  'ViewContent',
  'Search',
  'Donate',
  'FindLocation',
  'CustomizeProduct',
] as const;

/** Approved conversions are purchases; nothing else is sent until the operator maps it. */
export const META_DEFAULT_MAPPING: readonly EventMappingRule[] = [{ status: 'approved', event: 'Purchase' }];

/** Graph API error codes meaning "too many calls": retried after the platform's wait. */
const RATE_LIMIT_CODES = new Set([4, 17, 32, 613, 80004]);
/** Codes meaning the token or its permissions are bad: nothing is retried until the operator acts. */
const AUTH_CODES = new Set([102, 190, 10, 200]);
/** Transient errors Meta asks to retry. */
const TRANSIENT_CODES = new Set([1, 2]);

const configSchema = {
  pixelId: { type: 'string', title: 'Pixel (dataset) ID', description: 'The Meta pixel or dataset id events are sent to', required: true },
  accessToken: {
    type: 'string',
    title: 'Access token',
    description: 'A Conversions API access token of the pixel',
    help: 'Events Manager → your dataset → Settings → Conversions API → Generate access token.',
    required: true,
    secret: true,
  },
  testEventCode: {
    type: 'string',
    title: 'Test event code',
    description: "Sends events to Events Manager's Test events tool instead of counting them (TEST…)",
    help: 'Remove it once the test events look right.',
  },
  websiteUrl: {
    type: 'string',
    title: 'Website URL',
    description: 'event_source_url when the campaign link passed no landing page URL',
  },
  graphVersion: { type: 'string', title: 'Graph API version', description: 'Graph API version of the endpoint', default: META_DEFAULT_GRAPH_VERSION },
  apiBaseUrl: {
    type: 'string',
    title: 'API base URL',
    description: 'Where the Graph API is; change it only for a test receiver',
    default: 'https://graph.facebook.com',
  },
} as const;

/** The shape of Meta's `_fbc` and `_fbp` cookie values (`fb.<subdomain index>.<ms>.<value>`); anything else is not sent. */
const META_COOKIE = /^fb\.\d\.\d+\.\S+$/;

/** The `fbc` value: the captured `_fbc`, else built from `fbclid` and the click time as Meta documents. */
export function metaFbc(click: TargetConversion['click']): string | undefined {
  if (click.identifiers.fbc && META_COOKIE.test(click.identifiers.fbc)) return click.identifiers.fbc;
  if (click.identifiers.fbclid) return `fb.1.${click.at.getTime()}.${click.identifiers.fbclid}`;
  return undefined;
}

function decimalNumber(value: string | null): number | undefined {
  if (value === null) return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}

function build(conversion: TargetConversion, config: MetaConfig, context: TargetContext): TargetBuild {
  const mapping = context.mapping.length ? context.mapping : META_DEFAULT_MAPPING;
  const event = mapEvent(mapping, conversion);
  const goal = conversion.goal ? `goal "${conversion.goal}"` : 'the default goal';
  if (event === null) return { kind: 'not_sent', reason: `the event mapping sends nothing for status "${conversion.status}" and ${goal}` };
  // Meta has no test flag of its own but the Test Events code: without it a test conversion would count as a real one.
  if (conversion.isTest && !config.testEventCode)
    return { kind: 'not_sent', reason: 'a test conversion is sent to Meta only with a test event code (setting testEventCode)' };
  const now = context.now.getTime();
  const at = Math.min(conversion.occurredAt.getTime(), now);
  if (now - at > META_EVENT_WINDOW_MS) return { kind: 'not_sent', reason: "the conversion is older than Meta's 7-day window for server events" };
  const click = conversion.click;
  const fbc = metaFbc(click);
  const fbp = click.identifiers.fbp && META_COOKIE.test(click.identifiers.fbp) ? click.identifiers.fbp : undefined;
  const em = sha256NormalizedEmail(conversion.personal.email);
  const ph = sha256NormalizedPhone(conversion.personal.phone);
  const externalId = sha256Trimmed(conversion.personal.externalId);
  if (!fbc && !fbp && !em && !ph)
    return { kind: 'not_sent', reason: 'nothing identifies the Meta user: the click has no fbclid, _fbc or _fbp, and the network sent no email or phone' };
  const eventSourceUrl = click.landingUrl ?? config.websiteUrl;
  if (!eventSourceUrl) return { kind: 'not_sent', reason: 'no event_source_url: set the website URL, or pass the landing page URL on the campaign link' };
  const userData: Record<string, unknown> = {};
  if (fbc) userData.fbc = fbc;
  if (fbp) userData.fbp = fbp;
  if (click.ip) userData.client_ip_address = click.ip;
  if (click.userAgent) userData.client_user_agent = click.userAgent;
  if (em) userData.em = [em];
  if (ph) userData.ph = [ph];
  if (externalId) userData.external_id = [externalId];
  const customData: Record<string, unknown> = {};
  const value = decimalNumber(conversion.payout ?? conversion.revenue);
  if (value !== undefined) customData.value = value;
  if (conversion.currency) customData.currency = conversion.currency;
  if (conversion.txid) customData.order_id = conversion.txid;
  if (event === 'Purchase' && (value === undefined || !conversion.currency))
    return { kind: 'not_sent', reason: 'a Meta Purchase needs a value and a currency, and the conversion has no payout' };
  const payload: Record<string, unknown> = {
    data: [
      {
        event_name: event,
        event_time: Math.floor(at / 1000),
        event_id: conversion.id,
        action_source: 'website',
        event_source_url: eventSourceUrl,
        user_data: userData,
        custom_data: customData,
      },
    ],
  };
  if (config.testEventCode) payload.test_event_code = config.testEventCode;
  const base = (config.apiBaseUrl ?? 'https://graph.facebook.com').replace(/\/+$/, '');
  return {
    kind: 'send',
    event,
    request: {
      method: 'POST',
      url: `${base}/${encodeURIComponent(config.graphVersion ?? META_DEFAULT_GRAPH_VERSION)}/${encodeURIComponent(config.pixelId)}/events`,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${config.accessToken}` },
      body: JSON.stringify(payload),
    },
  };
}

interface GraphError {
  message?: string;
  code?: number;
  error_subcode?: number;
  type?: string;
  fbtrace_id?: string;
}

function read(answer: TargetAnswer): TargetVerdict {
  if (answer.statusCode === null) return { kind: 'retry', reason: answer.error ?? 'no answer from Meta' };
  const json = answerJson(answer) as { events_received?: unknown; messages?: unknown; error?: GraphError } | undefined;
  const code = answer.statusCode;
  if (code >= 200 && code < 300) {
    const received = json?.events_received;
    if (typeof received === 'number' && received >= 1) return { kind: 'delivered', note: `Meta received ${received} event` };
    return { kind: 'permanent', reason: 'Meta answered without events_received: the event was not taken' };
  }
  const error = json?.error;
  const what = error
    ? `Meta error ${error.code ?? '?'}${error.error_subcode ? `/${error.error_subcode}` : ''}: ${error.message ?? 'no message'}`
    : `HTTP ${code}`;
  if (code === 429 || (error?.code !== undefined && RATE_LIMIT_CODES.has(error.code)))
    return { kind: 'retry', reason: `rate limited (${what})`, afterMs: retryAfterMs(answer) };
  if (code === 401 || code === 403 || (error?.code !== undefined && AUTH_CODES.has(error.code)) || error?.type === 'OAuthException')
    return { kind: 'permanent', reason: `the access token was refused (${what}); set a valid token`, alert: true };
  if (code >= 500 || (error?.code !== undefined && TRANSIENT_CODES.has(error.code))) return { kind: 'retry', reason: what, afterMs: retryAfterMs(answer) };
  return { kind: 'permanent', reason: `Meta refused the event (${what})` };
}

type MetaConfig = { pixelId: string; accessToken: string; testEventCode?: string; websiteUrl?: string; graphVersion?: string; apiBaseUrl?: string };

/** The Meta Conversions API target. */
export const metaCapiTarget = defineTarget({
  id: 'meta-capi',
  displayName: 'Meta Conversions API',
  configSchema,
  events: META_STANDARD_EVENTS,
  defaultMapping: META_DEFAULT_MAPPING,
  build: (conversion, config, context) => build(conversion, config as MetaConfig, context),
  // Meta has no retraction: a later status is sent only when the mapping names an event for it.
  update: (conversion, config, context) => build(conversion, config as MetaConfig, context),
  read: (answer) => read(answer),
});
