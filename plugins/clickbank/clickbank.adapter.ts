import { type AdapterRequest, BadParameterError, ignoredEvent, type ParseResult, canonicalFrom, defineAdapter, parseRequestBody } from '@postwire/plugin-sdk';
import { decryptNotification } from './clickbank.crypto';

const CONFIG = {
  secretKey: {
    type: 'string',
    title: 'Secret key',
    help: 'In ClickBank: Vendor Settings › My Site › Advanced Tools › Secret Key. Use the same key for the INS URL there.',
    description: 'The Secret Key of the ClickBank account (Vendor Settings › My Site › Advanced Tools), the same one INS encrypts with',
    required: true,
    secret: true,
  },
} as const;

/** What each INS `transactionType` becomes. */
type Handling = { kind: 'conversion'; status: 'approved' | 'refunded'; goal?: string } | { kind: 'ignore' };

const TRANSACTION_TYPES: Readonly<Record<string, Handling>> = {
  SALE: { kind: 'conversion', status: 'approved', goal: 'sale' },
  // A rebill carries its own receipt (`XXXXXXXX-B002` …), so it is a new approved conversion.
  BILL: { kind: 'conversion', status: 'approved', goal: 'rebill' },
  // Refunds and chargebacks name the receipt of the payment they reverse.
  RFND: { kind: 'conversion', status: 'refunded' },
  CGBK: { kind: 'conversion', status: 'refunded' },
  // INSF is documented as an eCheck chargeback (insufficient funds): money taken back, like CGBK.
  INSF: { kind: 'conversion', status: 'refunded' },
  // These change no money already earned. Answering them with an error would make ClickBank
  // retry and count failures against the URL (INS response-code monitoring can disable it),
  // so they are acknowledged with no conversion.
  'CANCEL-REBILL': { kind: 'ignore' },
  'UNCANCEL-REBILL': { kind: 'ignore' },
  'SUBSCRIPTION-CHG': { kind: 'ignore' },
  ABANDONED_ORDER: { kind: 'ignore' },
  CUSTOMER_AUTH_FAILURE: { kind: 'ignore' },
  CUSTOMER_EMAIL_UPDATE: { kind: 'ignore' },
  CUSTOMER_UPDATE_CC_NOTIFICATION: { kind: 'ignore' },
  PURCHASE_DETAILS_EMAIL_RESPONSE: { kind: 'ignore' },
  // Test notifications: the "Test URL" ping and the test purchases. Recording them would put
  // fake sales into real reports.
  TEST: { kind: 'ignore' },
  TEST_SALE: { kind: 'ignore' },
  TEST_BILL: { kind: 'ignore' },
  TEST_RFND: { kind: 'ignore' },
  TEST_CGBK: { kind: 'ignore' },
  'CANCEL-TEST-REBILL': { kind: 'ignore' },
  'UNCANCEL-TEST-REBILL': { kind: 'ignore' },
};

// Shape of a Postwire click id (libs/core click-id.ts). Used only to prefer our code among
// several tracking codes; ClickBank historically upper-cased TIDs, hence the lower-casing.
const POSTWIRE_CLICK_ID = /^[0-9a-hjkmnp-tv-z]{30}$/;

interface Envelope {
  notification: string;
  iv: string;
}

function readEnvelope(request: AdapterRequest): Envelope {
  let body = request.body;
  // ClickBank does not document its Content-Type header; when it is missing the tracker leaves
  // the body unparsed, and the raw bytes are read as JSON here instead.
  if (body === undefined && request.rawBody.length > 0) body = parseRequestBody('application/json', request.rawBody);
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new BadParameterError('body', 'must be the JSON object {"notification": …, "iv": …} that INS v6+ sends');
  }
  const fields = body as Record<string, unknown>;
  const out: Partial<Envelope> = {};
  for (const name of ['notification', 'iv'] as const) {
    const value = fields[name];
    if (typeof value !== 'string' || value === '') throw new BadParameterError(name, 'is required (a base64 string)');
    out[name] = value;
  }
  return out as Envelope;
}

function decrypt(request: AdapterRequest, secretKey: string): Record<string, unknown> {
  const { notification, iv } = readEnvelope(request);
  return decryptNotification(notification, iv, secretKey);
}

/** A JSON money value as a string for {@link canonicalFrom}, which does the validation. */
function moneyText(value: unknown, name: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  throw new BadParameterError(name, 'must be a number');
}

function optionalString(value: unknown, name: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new BadParameterError(name, 'must be a string');
  return value;
}

function trackingCodes(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.filter((code): code is string => typeof code === 'string' && code.trim() !== '').map((code) => code.trim());
}

/**
 * The Postwire click id travels as the affiliate's `tid` on the HopLink and comes back in
 * `trackingCodes`. A code shaped like a Postwire click id wins; otherwise the first code is used
 * as given, so click ids from before a format change still attribute.
 */
export function clickIdFrom(codes: readonly string[]): string | undefined {
  for (const code of codes) {
    const lower = code.toLowerCase();
    if (POSTWIRE_CLICK_ID.test(lower)) return lower;
  }
  return codes[0];
}

function extrasOf(n: Record<string, unknown>, type: string, codes: readonly string[]): Record<string, string> {
  const extras: Record<string, string> = { transactionType: type };
  if (typeof n.transactionTime === 'string') extras.transactionTime = n.transactionTime;
  for (const name of ['role', 'vendor', 'affiliate'] as const) {
    const value = n[name];
    if (typeof value === 'string' && value !== '') extras[name] = value;
  }
  if (typeof n.version === 'number' || typeof n.version === 'string') extras.version = String(n.version);
  if (Array.isArray(n.lineItems)) {
    const items = n.lineItems
      .map((item) => (item && typeof item === 'object' ? (item as Record<string, unknown>).itemNo : undefined))
      .filter((itemNo): itemNo is string | number => typeof itemNo === 'string' || typeof itemNo === 'number')
      .map(String);
    if (items.length) extras.itemNo = items.join(',');
  }
  const upsell = n.upsell;
  if (upsell && typeof upsell === 'object') {
    const original = (upsell as Record<string, unknown>).upsellOriginalReceipt;
    if (typeof original === 'string' && original !== '') extras.upsellOriginalReceipt = original;
  }
  if (codes.length > 1) extras.trackingCodes = codes.join(',');
  // Customer name, e-mail and address are left out on purpose: the postback log is no CRM.
  return extras;
}

/** Turns one decrypted notification into canonical postbacks. Exported for direct tests. */
export function postbacksFromNotification(n: Record<string, unknown>): ParseResult {
  if (typeof n.transactionType !== 'string') throw new BadParameterError('transactionType', 'is required');
  const type = n.transactionType.trim().toUpperCase();
  const handling = TRANSACTION_TYPES[type];
  if (!handling) return ignoredEvent(type.slice(0, 64));
  if (handling.kind === 'ignore') return [];

  const receipt = optionalString(n.receipt, 'receipt');
  if (!receipt) throw new BadParameterError('receipt', 'is required');
  const codes = trackingCodes(n.trackingCodes);
  const approved = handling.status === 'approved';
  return [
    canonicalFrom(
      {
        clickId: clickIdFrom(codes),
        goal: handling.goal,
        txid: receipt,
        status: handling.status,
        // A refund only changes the state of the conversion it reverses; its amounts (negative
        // in ClickBank reports) would not fit Postwire's non-negative money anyway.
        payout: approved ? moneyText(n.totalAccountAmount, 'totalAccountAmount') : undefined,
        revenue: approved ? moneyText(n.totalOrderAmount, 'totalOrderAmount') : undefined,
        currency: optionalString(n.currency, 'currency'),
        extras: extrasOf(n, type, codes),
      },
      { txid: 'receipt', payout: 'totalAccountAmount', revenue: 'totalOrderAmount', currency: 'currency' },
    ),
  ];
}

/**
 * ClickBank Instant Notification Service, versions 6.0 and later (JSON, AES-256-CBC encrypted).
 * Earlier versions (form posts with `cverify`) are not supported; ClickBank retired them.
 */
export const clickbankAdapter = defineAdapter({
  id: 'clickbank',
  displayName: 'ClickBank (Instant Notification Service v6+)',
  methods: ['POST'],
  contentTypes: ['application/json'],
  // Two JSON fields, but `notification` is the whole order, encrypted and base64-encoded: 1,560
  // characters for one line item, 3,480 for three items with full addresses (fixtures 02 and 15),
  // so roughly 0.6–0.9 KB per line item. ClickBank publishes no maximum; 128 KiB leaves room for
  // orders of more than a hundred line items.
  limits: { maxFields: 8, maxValueLength: 128 * 1024, maxBodyBytes: 160 * 1024, allowLineBreaks: false },
  // ClickBank retries every non-200 answer and can switch a failing URL off; a sale without our
  // tracking code (not from our HopLink) is kept unattributed with its receipt and amounts.
  answers: { withoutClickId: 'unattributed' },
  configSchema: CONFIG,
  verify(request, config) {
    decrypt(request, config.secretKey);
  },
  parse(request, config) {
    return postbacksFromNotification(decrypt(request, config.secretKey));
  },
  postbackUrlTemplate(trackerUrl, network) {
    // INS has no macros: ClickBank posts the whole encrypted notification to this URL.
    return `${trackerUrl.replace(/\/+$/, '')}/postback/${network.slug}`;
  },
});
