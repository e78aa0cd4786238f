import type { TargetConversion } from '@postwire/plugin-sdk';
import type { GoogleAdsConfig } from './google-ads.config';
import { googleDateTime, isTimeZone } from './google-ads.date-time';
import { userIdentifiers, type GoogleUserIdentifier } from './google-ads.user-identifiers';

/**
 * The two request bodies of this target, in the REST API's JSON spelling (lowerCamelCase):
 * - `UploadClickConversionsRequest`: https://developers.google.com/google-ads/api/reference/rpc/v26/UploadClickConversionsRequest
 *   with one `ClickConversion`: https://developers.google.com/google-ads/api/reference/rpc/v26/ClickConversion
 * - `UploadConversionAdjustmentsRequest` with one `ConversionAdjustment`:
 *   https://developers.google.com/google-ads/api/reference/rpc/v26/ConversionAdjustment
 */

/** Settings checked and put in the shape requests need; `problem` names the bad setting. */
export type GoogleAdsSettings =
  | { ok: true; customerId: string; conversionAction: string; loginCustomerId: string | null; endpoint: (method: string) => string }
  | { ok: false; problem: string };

export function googleAdsSettings(config: GoogleAdsConfig): GoogleAdsSettings {
  const customerId = config.customerId.replace(/-/g, '');
  if (!/^\d{10}$/.test(customerId)) return { ok: false, problem: `customerId "${config.customerId}" is not a 10-digit Google Ads customer ID` };
  const login = (config.loginCustomerId as string | undefined)?.replace(/-/g, '') || null;
  if (login !== null && !/^\d{10}$/.test(login)) return { ok: false, problem: `loginCustomerId "${config.loginCustomerId}" is not a 10-digit customer ID` };
  const action = config.conversionAction.trim();
  const conversionAction = /^\d+$/.test(action) ? `customers/${customerId}/conversionActions/${action}` : action;
  if (!/^customers\/\d+\/conversionActions\/\d+$/.test(conversionAction)) {
    return { ok: false, problem: `conversionAction "${config.conversionAction}" is neither an ID nor customers/<id>/conversionActions/<id>` };
  }
  if (!isTimeZone(config.timeZone)) return { ok: false, problem: `timeZone "${config.timeZone}" is not an IANA time zone` };
  if (!/^v\d+$/.test(config.apiVersion)) return { ok: false, problem: `apiVersion "${config.apiVersion}" is not of the form v26` };
  let base: URL;
  try {
    base = new URL(config.apiBaseUrl);
  } catch {
    return { ok: false, problem: `apiBaseUrl "${config.apiBaseUrl}" is not a URL` };
  }
  const root = base.toString().replace(/\/+$/, '');
  return {
    ok: true,
    customerId,
    conversionAction,
    loginCustomerId: login,
    endpoint: (method) => `${root}/${config.apiVersion}/customers/${customerId}:${method}`,
  };
}

/** Google's click identifier of the conversion's click: one of gclid, gbraid, wbraid (in that order of preference). */
export function googleClickId(conversion: TargetConversion): { gclid: string } | { gbraid: string } | { wbraid: string } | null {
  // A blank value is no identifier (a macro the landing page left empty).
  const gclid = conversion.click.identifiers.gclid?.trim();
  if (gclid) return { gclid };
  const gbraid = conversion.click.identifiers.gbraid?.trim();
  if (gbraid) return { gbraid };
  const wbraid = conversion.click.identifiers.wbraid?.trim();
  if (wbraid) return { wbraid };
  return null;
}

/** The amount the settings choose, as the API's double; null when none (or not a usable amount). */
function conversionValue(conversion: TargetConversion, config: GoogleAdsConfig): number | null {
  const amount = config.value === 'revenue' ? conversion.revenue : config.value === 'payout' ? conversion.payout : null;
  const value = amount === null || amount.trim() === '' ? NaN : Number(amount);
  return Number.isFinite(value) && value >= 0 ? value : null;
}

/**
 * When the conversion is reported as having happened: its own time, but never at or before the
 * click (Google refuses CONVERSION_PRECEDES_EVENT; a network's clock a few seconds behind ours
 * would otherwise lose the conversion), so one second after the click at the earliest.
 */
export function conversionInstant(conversion: TargetConversion): Date {
  const earliest = conversion.click.at.getTime() + 1000;
  return new Date(Math.max(conversion.occurredAt.getTime(), earliest));
}

export interface ClickConversion {
  gclid?: string;
  gbraid?: string;
  wbraid?: string;
  conversionAction: string;
  conversionDateTime: string;
  conversionValue?: number;
  currencyCode?: string;
  orderId: string;
  consent?: { adUserData: 'GRANTED' | 'DENIED' };
  userIdentifiers?: GoogleUserIdentifier[];
}

export function clickConversionBody(
  conversion: TargetConversion,
  config: GoogleAdsConfig,
  conversionAction: string,
  clickId: NonNullable<ReturnType<typeof googleClickId>>,
): string {
  const row: ClickConversion = {
    ...clickId,
    conversionAction,
    conversionDateTime: googleDateTime(conversionInstant(conversion), config.timeZone),
    // The order id identifies the conversion for later adjustments and deduplicates repeated uploads.
    orderId: conversion.id,
  };
  const value = conversionValue(conversion, config);
  if (value !== null) {
    row.conversionValue = value;
    if (conversion.currency) row.currencyCode = conversion.currency;
  }
  if (config.adUserDataConsent === 'GRANTED' || config.adUserDataConsent === 'DENIED') row.consent = { adUserData: config.adUserDataConsent };
  const identifiers = config.userIdentifiers ? userIdentifiers(conversion.personal) : [];
  if (identifiers.length) row.userIdentifiers = identifiers;
  return JSON.stringify({ conversions: [row], partialFailure: true, ...(conversion.isTest ? { validateOnly: true } : {}) });
}

export interface ConversionAdjustment {
  conversionAction: string;
  adjustmentType: 'RETRACTION' | 'RESTATEMENT';
  adjustmentDateTime: string;
  orderId: string;
  restatementValue?: { adjustedValue: number; currencyCode?: string };
}

/** A retraction (the conversion no longer counts) or a restatement (its value changed) of an uploaded conversion, found by its order id. */
export function adjustmentBody(
  conversion: TargetConversion,
  config: GoogleAdsConfig,
  conversionAction: string,
  type: ConversionAdjustment['adjustmentType'],
  now: Date,
): string | null {
  // The adjustment must be after the conversion's own date-time.
  const at = new Date(Math.max(now.getTime(), conversionInstant(conversion).getTime() + 1000));
  const row: ConversionAdjustment = { conversionAction, adjustmentType: type, adjustmentDateTime: googleDateTime(at, config.timeZone), orderId: conversion.id };
  if (type === 'RESTATEMENT') {
    const value = conversionValue(conversion, config);
    if (value === null) return null;
    row.restatementValue = { adjustedValue: value, ...(conversion.currency ? { currencyCode: conversion.currency } : {}) };
  }
  return JSON.stringify({ conversionAdjustments: [row], partialFailure: true, ...(conversion.isTest ? { validateOnly: true } : {}) });
}
