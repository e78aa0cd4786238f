import {
  type AdapterRequest,
  BadParameterError,
  BadSignatureError,
  ignoredEvent,
  type ParseResult,
  canonicalFrom,
  defineAdapter,
  parseRequestBody,
} from '@postwire/plugin-sdk';
import { signatureMatches } from './digistore24.signature';

const CONFIG = {
  passphrase: {
    type: 'string',
    title: 'IPN passphrase',
    help: 'In Digistore24: Settings › Integrations (IPN) › your connection › Passphrase (sha_passphrase).',
    description: 'The IPN passphrase (sha_passphrase) of the Digistore24 IPN connection; Digistore24 signs every call with it',
    required: true,
    secret: true,
  },
  clickIdField: {
    type: 'string',
    title: 'Click-id field',
    help: 'Put {click_id} where this field comes from: the promolink ?cid= for click_id, or the custom, campaignkey or trackingkey value.',
    enum: ['click_id', 'custom', 'campaignkey', 'trackingkey'],
    description: 'The IPN field that carries the Postwire click id: click_id (the ?cid= of the promolink), custom, campaignkey or trackingkey',
    default: 'click_id',
  },
  payoutField: {
    type: 'string',
    title: 'Payout field',
    help: 'amount_affiliate when you promote as an affiliate, amount_vendor when you sell as the vendor.',
    enum: ['amount_affiliate', 'amount_vendor'],
    description: 'The IPN field with what you earn per sale: amount_affiliate as an affiliate, amount_vendor as a vendor',
    default: 'amount_affiliate',
  },
} as const;

/**
 * Events that are not conversions. Digistore24 asks receivers to ignore what they do not use
 * and mails the vendor on every failed call, so these are acknowledged with no postbacks.
 */
const NON_CONVERSION_EVENTS = new Set([
  'connection_test',
  'on_payment_missed',
  'payment_denial',
  'on_rebill_cancelled',
  'on_rebill_resumed',
  'last_paid_day',
  'on_affiliation',
]);

/** Fields copied to `extras`; names, e-mail and addresses of the buyer are left out on purpose. */
const EXTRA_FIELDS = ['event', 'order_id', 'product_id', 'transaction_type', 'billing_type', 'pay_sequence_no', 'campaignkey', 'api_mode'] as const;

/** The posted form fields; every value must be a single string. Exported for direct tests. */
export function formFields(request: AdapterRequest): Record<string, string> {
  let body = request.body;
  // Without a form Content-Type the tracker leaves the body unparsed; IPN calls are always forms.
  if (body === undefined && request.rawBody.length > 0) body = parseRequestBody('application/x-www-form-urlencoded', request.rawBody);
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new BadParameterError('body', 'must be the form fields of a Digistore24 IPN call');
  }
  const fields: Record<string, string> = Object.create(null);
  for (const [name, value] of Object.entries(body as Record<string, unknown>)) {
    if (typeof value !== 'string') throw new BadParameterError(name.slice(0, 64), 'must be a single text value');
    fields[name] = value;
  }
  return fields;
}

function present(fields: Readonly<Record<string, string>>, name: string): string | undefined {
  const value = fields[name];
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

function extrasOf(fields: Readonly<Record<string, string>>, more: Record<string, string | undefined> = {}): Record<string, string> {
  const extras: Record<string, string> = {};
  for (const name of EXTRA_FIELDS) {
    const value = present(fields, name);
    if (value !== undefined) extras[name] = value;
  }
  for (const [name, value] of Object.entries(more)) if (value !== undefined) extras[name] = value;
  return extras;
}

interface Settings {
  clickIdField: string;
  payoutField: string;
}

/** Turns the fields of one verified IPN call into canonical postbacks. Exported for direct tests. */
export function postbacksFromIpn(fields: Readonly<Record<string, string>>, settings: Settings): ParseResult {
  const event = present(fields, 'event');
  if (event === undefined) throw new BadParameterError('event', 'is required');
  if (NON_CONVERSION_EVENTS.has(event)) return [];
  const clickId = present(fields, settings.clickIdField);

  if (event === 'on_payment') {
    const txid = present(fields, 'transaction_id');
    if (txid === undefined) throw new BadParameterError('transaction_id', 'is required for on_payment');
    // pay_sequence_no is 0 for a single payment and counts the payments of a subscription or
    // instalment plan; from the second payment on it is a rebill.
    const sequence = present(fields, 'pay_sequence_no');
    const rebill = sequence !== undefined && /^\d{1,9}$/.test(sequence) && Number(sequence) > 1;
    const revenueField = fields.amount !== undefined ? 'amount' : 'amount_brutto';
    return [
      canonicalFrom(
        {
          clickId,
          goal: rebill ? 'rebill' : 'sale',
          txid,
          status: 'approved',
          payout: present(fields, settings.payoutField),
          revenue: present(fields, revenueField),
          currency: present(fields, 'currency'),
          // The buyer's country (ISO code), for the geo_mismatch fraud signal.
          country: present(fields, 'country'),
          extras: extrasOf(fields),
        },
        {
          clickId: settings.clickIdField,
          txid: 'transaction_id',
          payout: settings.payoutField,
          revenue: revenueField,
          currency: 'currency',
          country: 'country',
        },
      ),
    ];
  }

  if (event === 'on_refund' || event === 'on_chargeback') {
    // A refund or chargeback is a transaction of its own with its own transaction_id; the payment
    // it reverses is named by parent_transaction_id. Without it the reversal can still be matched
    // by click id, so txid is left out rather than set to an id no conversion has.
    const parent = present(fields, 'parent_transaction_id');
    return [
      canonicalFrom(
        {
          clickId,
          txid: parent,
          status: 'refunded',
          currency: present(fields, 'currency'),
          extras: extrasOf(fields, { reversal_transaction_id: present(fields, 'transaction_id') }),
        },
        { clickId: settings.clickIdField, txid: 'parent_transaction_id', currency: 'currency' },
      ),
    ];
  }

  return ignoredEvent(event.slice(0, 64));
}

/** Digistore24 IPN ("Generic" IPN connection): a signed form POST that must be answered `OK`. */
export const digistore24Adapter = defineAdapter({
  id: 'digistore24',
  displayName: 'Digistore24 (IPN)',
  methods: ['POST'],
  contentTypes: ['application/x-www-form-urlencoded'],
  // An on_payment call carries 150–200 fields, more with several order items (product_id_2, …);
  // addresses, notes and custom form answers may contain line breaks (Digistore24's event page
  // warns about them). Values are short except free text and URLs.
  limits: { maxFields: 1000, maxValueLength: 16 * 1024, maxBodyBytes: 256 * 1024, allowLineBreaks: true },
  // The IPN carries the buyer's name, e-mail and postal address; attribution needs none of them, so the postback log keeps the fields but not their values.
  personalData: [/^(address|buyer|license_data|upgraded_address)_/, /^(upgraded_)?email$/, /^(first|last)_name$/, /(^|_)phone(_no)?$/],
  answers: {
    // Digistore24 checks that the IPN URL opens (a plain GET) when it is saved and on trouble.
    endpointCheck: { status: 200, contentType: 'text/plain', body: 'OK' },
    // A sale that did not come through a promolink of ours has no click id: kept unattributed.
    withoutClickId: 'unattributed',
  },
  configSchema: CONFIG,
  verify(request, config) {
    const fields = formFields(request);
    const received = fields.sha_sign ?? fields.SHASIGN;
    if (received === undefined || received === '') throw new BadSignatureError('sha_sign is missing');
    if (received === 'no_signature_passphrase_provided') {
      throw new BadSignatureError('Digistore24 signed nothing: set an IPN passphrase in the IPN connection and the same passphrase here');
    }
    if (!signatureMatches(fields, config.passphrase, received)) throw new BadSignatureError('sha_sign does not match the fields and the configured passphrase');
  },
  parse(request, config) {
    return postbacksFromIpn(formFields(request), config);
  },
  respond() {
    // Anything but a body starting with OK counts as a failed call: Digistore24 retries it and
    // e-mails the vendor. Postwire has stored the outcome (even a rejected conversion) by now,
    // so a retry would only repeat it.
    return { status: 200, contentType: 'text/plain', body: 'OK' };
  },
  postbackUrlTemplate(trackerUrl, network) {
    // The IPN connection posts all fields itself; the URL needs no placeholders.
    return `${trackerUrl.replace(/\/+$/, '')}/postback/${network.slug}`;
  },
});
