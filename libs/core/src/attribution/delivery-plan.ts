import { fillUrlMacros, SUB_PARAMS } from '../click/macros';
import type { ConversionStatus } from '../conversion/conversion-status';
import { percentOf, type DecimalAmount } from '../money/decimal-amount';
import { shouldForward } from './forwarding';
import type { AttributionDecision, ConversionSnapshot } from './types';

/** What a traffic source is paid in its postbacks: a share of the conversion's payout, or a fixed amount. */
export type PayoutShare = { type: 'percent'; value: DecimalAmount } | { type: 'fixed'; value: DecimalAmount; currency: string | null };

/** The settings that decide whether a conversion change is forwarded to a traffic source at all. */
export interface ForwardingFilter {
  enabled: boolean;
  forwardPixel: boolean;
  /** `null`: every goal (`''` is the default goal). */
  goals: readonly string[] | null;
  /** `null`: every status. */
  statuses: readonly ConversionStatus[] | null;
}

/** The settings that shape the request a traffic source receives. */
export interface ForwardingFormat {
  postbackUrl: string;
  method: 'GET' | 'POST';
  bodyFormat: 'json' | 'form';
  headers: Readonly<Record<string, string>>;
  /** `null`: the whole payout. */
  payoutShare: PayoutShare | null;
  /** The source's word for each status in `{status}`; `null` or a missing status: Postwire's own word. */
  statusMap: Readonly<Partial<Record<ConversionStatus, string>>> | null;
}

/** The macro values of one conversion event, before the source's payout share is applied. */
export type DeliveryValues = Record<string, string | null>;

export interface RenderedDelivery {
  method: 'GET' | 'POST';
  url: string;
  body: string | null;
  /** Content type and the source's extra headers; the sender adds its own on top. */
  headers: Record<string, string>;
}

/**
 * Header names a source's extra headers may not set: the transport's own, and the ones whose
 * meaning Postwire guarantees (idempotency and signatures), which a setting must not be able to fake.
 */
export const RESERVED_HEADERS: readonly string[] = [
  'host',
  'content-length',
  'content-type',
  'transfer-encoding',
  'connection',
  'keep-alive',
  'upgrade',
  'te',
  'trailer',
  'expect',
  'idempotency-key',
  'webhook-id',
  'webhook-timestamp',
  'webhook-signature',
];

/** Whether a traffic source is owed a delivery for this decision: enabled, and the goal and the engine's rules (pixel, status filter) agree. */
export function wantsDelivery(decision: AttributionDecision, source: ForwardingFilter): boolean {
  if (!source.enabled) return false;
  if (decision.outcome === 'duplicate' || decision.outcome === 'ignored' || decision.outcome === 'rejected') return false;
  if (source.goals !== null && !source.goals.includes(decision.next.goal)) return false;
  return shouldForward(decision, { forwardPixel: source.forwardPixel, statuses: source.statuses ?? undefined });
}

/** What a delivery says about the conversion's fraud assessment: `{fraud_score}` and `{fraud_reason}` (fired reason codes, comma-separated). */
export interface DeliveryFraud {
  score: number;
  reasons: readonly string[];
}

/** The macro values of a conversion event; kept with the delivery so a re-send can render it again. */
export function deliveryValues(
  click: { clickId: string; campaignId: string; externalId: string | null; subs: Readonly<Record<string, string | null>> },
  conversionId: string,
  next: ConversionSnapshot,
  fraud?: DeliveryFraud,
): DeliveryValues {
  const values: DeliveryValues = {
    external_id: click.externalId,
    click_id: click.clickId,
    conversion_id: conversionId,
    campaign_id: click.campaignId,
    payout: next.payout,
    revenue: next.revenue,
    status: next.status,
    txid: next.txid,
    goal: next.goal,
    currency: next.currency,
    // Always present, so an unscored conversion fills the macros with nothing rather than leaving `{fraud_score}` in the URL.
    fraud_score: fraud ? String(fraud.score) : null,
    fraud_reason: fraud ? fraud.reasons.join(',') : null,
  };
  for (const sub of SUB_PARAMS) values[sub] = click.subs[sub] ?? null;
  return values;
}

/** The payout (and currency) the source is told: the share of the payout, or the fixed amount whatever the payout. */
export function applyPayoutShare(values: DeliveryValues, share: PayoutShare | null): DeliveryValues {
  if (!share) return values;
  if (share.type === 'fixed') return { ...values, payout: share.value, currency: share.currency ?? values.currency };
  return { ...values, payout: values.payout === null ? null : percentOf(values.payout, share.value) };
}

/** `{status}` in the source's own vocabulary (e.g. MGID says `rejected` where Postwire says `declined`). */
export function applyStatusWords(values: DeliveryValues, statusMap: ForwardingFormat['statusMap']): DeliveryValues {
  const status = values.status as ConversionStatus | null;
  const word = status && statusMap ? statusMap[status] : undefined;
  return word === undefined ? values : { ...values, status: word };
}

/**
 * The request for one delivery: URL macros filled (URL-encoded), and for POST the values as a JSON
 * object or a form. Pure, so the recorder renders a delivery inside its transaction and a re-send
 * renders it again from the stored values.
 */
export function renderDelivery(format: ForwardingFormat, values: DeliveryValues): RenderedDelivery {
  const shared = applyStatusWords(applyPayoutShare(values, format.payoutShare), format.statusMap);
  const url = fillUrlMacros(format.postbackUrl, shared);
  const headers: Record<string, string> = { ...format.headers };
  if (format.method === 'GET') return { method: 'GET', url, body: null, headers };
  if (format.bodyFormat === 'form') {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    const form = new URLSearchParams();
    for (const [name, value] of Object.entries(shared)) form.append(name, value ?? '');
    return { method: 'POST', url, body: form.toString(), headers };
  }
  headers['content-type'] = 'application/json';
  return { method: 'POST', url, body: JSON.stringify(shared), headers };
}
