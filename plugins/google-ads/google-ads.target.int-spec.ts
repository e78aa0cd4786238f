import type { TargetAnswer, TargetConversion, TargetVerdict } from '@postwire/plugin-sdk';
import { z } from 'zod';
import { Receiver, type ReceivedRequest } from '../../test/support/receiver';
import { sendTargetRequest, targetContext } from '../../test/support/target-http';
import type { GoogleAdsConfig } from './google-ads.config';
import { googleAdsTarget } from './google-ads.target';

/*
 * A fake Google Ads API and OAuth endpoint on loopback. Every request the target builds is sent
 * for real (undici) and checked against a schema written from Google's documentation:
 * - UploadClickConversionsRequest (conversions[] required, partial_failure required and "should
 *   always be set to true", validate_only):
 *   https://developers.google.com/google-ads/api/reference/rpc/v26/UploadClickConversionsRequest
 * - ClickConversion (gclid | gbraid | wbraid, conversion_action resource name, conversion_date_time
 *   "yyyy-mm-dd hh:mm:ss+|-hh:mm", "Must be after the click time. The timezone must be specified",
 *   conversion_value, currency_code, order_id, consent, user_identifiers "at most 5", "Only
 *   hashed_email and hashed_phone_number are supported for conversion uploads"):
 *   https://developers.google.com/google-ads/api/reference/rpc/v26/ClickConversion
 * - Consent: ad_personalization "can only be set for OfflineUserDataJobService and UserDataService",
 *   so a click conversion carries ad_user_data only:
 *   https://developers.google.com/google-ads/api/reference/rpc/v26/Consent
 * - Hashing: SHA-256 of the normalised value, hex encoded (lower case, 64 characters):
 *   https://developers.google.com/google-ads/api/docs/conversions/upload-online (Normalize and hash user-provided data)
 * - ConversionAdjustment (adjustment_type RETRACTION | RESTATEMENT, adjustment_date_time "Must be
 *   after the conversion_date_time", order_id or gclid_date_time_pair, restatement_value):
 *   https://developers.google.com/google-ads/api/reference/rpc/v26/ConversionAdjustment and
 *   https://developers.google.com/google-ads/api/docs/conversions/upload-adjustments
 * - Partial failures (a 200 whose partialFailureError lists the failed rows):
 *   https://developers.google.com/google-ads/api/docs/best-practices/partial-failures
 * - REST headers (Authorization: Bearer, developer-token, login-customer-id):
 *   https://developers.google.com/google-ads/api/rest/auth
 * - OAuth refresh (grant_type=refresh_token, client_id, client_secret, refresh_token):
 *   https://developers.google.com/identity/protocols/oauth2/web-server#offline
 */

const GOOGLE_DATE_TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/;
const SHA256_HEX = /^[0-9a-f]{64}$/;
const dateTime = z.string().regex(GOOGLE_DATE_TIME, 'yyyy-mm-dd hh:mm:ss+|-hh:mm');
const conversionAction = z.string().regex(/^customers\/\d+\/conversionActions\/\d+$/);
const currencyCode = z.string().regex(/^[A-Z]{3}$/);

const clickConversion = z
  .object({
    gclid: z.string().min(1).optional(),
    gbraid: z.string().min(1).optional(),
    wbraid: z.string().min(1).optional(),
    conversionAction,
    conversionDateTime: dateTime,
    conversionValue: z.number().nonnegative().optional(),
    currencyCode: currencyCode.optional(),
    orderId: z.string().min(1).optional(),
    consent: z
      .object({ adUserData: z.enum(['GRANTED', 'DENIED']) })
      .strict()
      .optional(),
    userIdentifiers: z
      .array(
        z.union([z.object({ hashedEmail: z.string().regex(SHA256_HEX) }).strict(), z.object({ hashedPhoneNumber: z.string().regex(SHA256_HEX) }).strict()]),
      )
      .max(5)
      .optional(),
  })
  .strict()
  .refine((c) => [c.gclid, c.gbraid, c.wbraid].filter(Boolean).length === 1, 'exactly one of gclid, gbraid, wbraid');

const uploadClickConversions = z
  .object({ conversions: z.array(clickConversion).min(1).max(2000), partialFailure: z.literal(true), validateOnly: z.boolean().optional() })
  .strict();

const conversionAdjustment = z
  .object({
    conversionAction,
    adjustmentType: z.enum(['RETRACTION', 'RESTATEMENT', 'ENHANCEMENT']),
    adjustmentDateTime: dateTime,
    orderId: z.string().min(1).optional(),
    gclidDateTimePair: z.object({ gclid: z.string(), conversionDateTime: dateTime }).strict().optional(),
    restatementValue: z.object({ adjustedValue: z.number().nonnegative(), currencyCode: currencyCode.optional() }).strict().optional(),
  })
  .strict()
  .refine((a) => Boolean(a.orderId) !== Boolean(a.gclidDateTimePair), 'order_id or gclid_date_time_pair identifies the conversion')
  .refine((a) => (a.adjustmentType === 'RESTATEMENT') === Boolean(a.restatementValue), 'restatement_value goes with RESTATEMENT only');

const uploadConversionAdjustments = z
  .object({ conversionAdjustments: z.array(conversionAdjustment).min(1).max(2000), partialFailure: z.literal(true), validateOnly: z.boolean().optional() })
  .strict();

type Answer = { status: number; body?: string; headers?: Record<string, string> };

const DEVELOPER_TOKEN = 'dev-token-123';
const CLIENT = { id: 'client-1.apps.googleusercontent.com', secret: 'client-secret-1', refresh: 'refresh-1' };
const json = (status: number, body: unknown, headers: Record<string, string> = {}): Answer => ({
  status,
  body: JSON.stringify(body),
  headers: { 'content-type': 'application/json', ...headers },
});
const adsFailure = (code: number, status: string, family: string, value: string) => ({
  code,
  status,
  message: value,
  details: [{ '@type': 'type.googleapis.com/google.ads.googleads.v26.errors.GoogleAdsFailure', errors: [{ errorCode: { [family]: value }, message: value }] }],
});
const rowFailure = (family: string, value: string) => json(200, { partialFailureError: adsFailure(3, 'INVALID_ARGUMENT', family, value), results: [{}] });

/** The fake platform: what Google stores, what it was sent, and what broke its rules. */
class FakeGoogleAds {
  readonly violations: string[] = [];
  readonly clicks = new Map<string, Date>();
  readonly uploads = new Map<string, { at: Date; row: z.infer<typeof clickConversion> }>();
  readonly adjustments: Array<z.infer<typeof conversionAdjustment>> = [];
  readonly issuedTokens: string[] = [];
  tokenRequests = 0;
  apiRequests = 0;
  /** Answers the next API call with this instead of processing it (after checking it all the same). */
  answerNext: Answer | null = null;

  constructor(readonly receiver: Receiver) {
    receiver.respondWith((req) => (req.url === '/token' ? this.token(req) : this.api(req)));
  }

  private token(req: ReceivedRequest): Answer {
    this.tokenRequests++;
    const form = new URLSearchParams(req.body);
    if (req.method !== 'POST' || !String(req.headers['content-type']).startsWith('application/x-www-form-urlencoded'))
      this.violations.push('token: not a form POST');
    if (form.get('grant_type') !== 'refresh_token') this.violations.push('token: grant_type');
    if (form.get('client_id') !== CLIENT.id || form.get('client_secret') !== CLIENT.secret) return json(401, { error: 'invalid_client' });
    if (form.get('refresh_token') !== CLIENT.refresh) return json(400, { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' });
    const token = `ya29.fake-${this.issuedTokens.length + 1}`;
    this.issuedTokens.push(token);
    return json(200, { access_token: token, expires_in: 3599, token_type: 'Bearer', scope: 'https://www.googleapis.com/auth/adwords' });
  }

  private api(req: ReceivedRequest): Answer {
    this.apiRequests++;
    const path = /^\/v\d+\/customers\/(\d{10}):(uploadClickConversions|uploadConversionAdjustments)$/.exec(req.url);
    if (!path || req.method !== 'POST') return json(404, { error: { code: 404, status: 'NOT_FOUND', message: `no such method ${req.method} ${req.url}` } });
    const bearer = /^Bearer (.+)$/.exec(String(req.headers.authorization ?? ''))?.[1];
    if (!bearer || !this.issuedTokens.includes(bearer))
      return json(401, { error: adsFailure(401, 'UNAUTHENTICATED', 'authenticationError', 'OAUTH_TOKEN_INVALID') });
    if (req.headers['developer-token'] !== DEVELOPER_TOKEN)
      return json(401, { error: adsFailure(401, 'UNAUTHENTICATED', 'authenticationError', 'DEVELOPER_TOKEN_INVALID') });
    const login = req.headers['login-customer-id'];
    if (login !== undefined && !/^\d{10}$/.test(String(login))) this.violations.push(`login-customer-id "${String(login)}" is not 10 digits`);
    if (req.headers['content-type'] !== 'application/json') this.violations.push('content-type is not application/json');
    const schema = path[2] === 'uploadClickConversions' ? uploadClickConversions : uploadConversionAdjustments;
    const parsed = schema.safeParse(JSON.parse(req.body));
    if (!parsed.success) {
      this.violations.push(...parsed.error.issues.map((i) => `${path[2]} ${i.path.join('.')}: ${i.message}`));
      return json(400, { error: adsFailure(400, 'INVALID_ARGUMENT', 'requestError', 'INVALID_INPUT') });
    }
    if (this.answerNext) {
      const answer = this.answerNext;
      this.answerNext = null;
      return answer;
    }
    return 'conversions' in parsed.data ? this.upload(parsed.data) : this.adjust(parsed.data);
  }

  private upload(request: z.infer<typeof uploadClickConversions>): Answer {
    const row = request.conversions[0];
    const clickAt = this.clicks.get(row.gclid ?? row.gbraid ?? row.wbraid ?? '');
    if (!clickAt) return rowFailure('conversionUploadError', 'UNPARSEABLE_GCLID');
    const at = new Date(row.conversionDateTime.replace(' ', 'T'));
    if (!(at > clickAt)) {
      this.violations.push(`conversion_date_time ${row.conversionDateTime} is not after the click (${clickAt.toISOString()})`);
      return rowFailure('conversionUploadError', 'CONVERSION_PRECEDES_EVENT');
    }
    if (row.orderId && this.uploads.has(row.orderId)) return rowFailure('conversionUploadError', 'ORDER_ID_ALREADY_IN_USE');
    if (!request.validateOnly) this.uploads.set(row.orderId ?? `${row.gclid}:${row.conversionDateTime}`, { at, row });
    return json(
      200,
      request.validateOnly ? {} : { results: [{ gclid: row.gclid, conversionAction: row.conversionAction, conversionDateTime: row.conversionDateTime }] },
    );
  }

  private adjust(request: z.infer<typeof uploadConversionAdjustments>): Answer {
    const row = request.conversionAdjustments[0];
    const uploaded = row.orderId ? this.uploads.get(row.orderId) : undefined;
    if (!uploaded) return rowFailure('conversionAdjustmentUploadError', 'CONVERSION_NOT_FOUND');
    if (!(new Date(row.adjustmentDateTime.replace(' ', 'T')) > uploaded.at)) this.violations.push('adjustment_date_time is not after conversion_date_time');
    if (this.adjustments.some((a) => a.orderId === row.orderId && a.adjustmentType === 'RETRACTION')) {
      return rowFailure('conversionAdjustmentUploadError', 'CONVERSION_ALREADY_RETRACTED');
    }
    if (!request.validateOnly) this.adjustments.push(row);
    return json(200, { results: [{ orderId: row.orderId, adjustmentType: row.adjustmentType }] });
  }
}

let receiver: Receiver;
let google: FakeGoogleAds;
let config: GoogleAdsConfig;

beforeAll(async () => {
  receiver = await Receiver.start();
});
afterAll(() => receiver.close());
beforeEach(() => {
  receiver.reset();
  google = new FakeGoogleAds(receiver);
  config = {
    customerId: '123-456-7890',
    conversionAction: '555',
    loginCustomerId: '999-888-7777',
    developerToken: DEVELOPER_TOKEN,
    clientId: CLIENT.id,
    clientSecret: CLIENT.secret,
    refreshToken: CLIENT.refresh,
    timeZone: 'America/New_York',
    value: 'payout',
    adUserDataConsent: 'GRANTED',
    userIdentifiers: true,
    apiVersion: 'v26',
    apiBaseUrl: receiver.url,
    tokenUrl: `${receiver.url}/token`,
  };
});

let sequence = 0;
function conversion(over: Partial<TargetConversion> = {}, gclid: string | null = 'EAIaIQobChMI-test'): TargetConversion {
  const clickAt = new Date(Date.now() - 3 * 3600_000);
  if (gclid) google.clicks.set(gclid, clickAt);
  sequence++;
  return {
    id: `01JCONV${String(sequence).padStart(19, '0')}`,
    status: 'approved',
    previousStatus: null,
    goal: 'sale',
    txid: `tx-${sequence}`,
    payout: '25.10',
    revenue: null,
    currency: 'USD',
    occurredAt: new Date(clickAt.getTime() + 3600_000),
    click: {
      id: `click-${sequence}`,
      at: clickAt,
      ip: '198.51.100.7',
      userAgent: 'Mozilla/5.0 (iPhone)',
      country: 'US',
      landingUrl: null,
      identifiers: gclid ? { gclid } : {},
    },
    personal: { email: ' Buyer.One@Gmail.com ', phone: '+1 212 555 0100' },
    isTest: false,
    ...over,
  };
}

/** build (or update) → a real HTTP send → read: what the delivery runtime does with a target. */
async function forward(
  step: 'build' | 'update',
  conv: TargetConversion,
  context = targetContext(),
): Promise<{ verdict: TargetVerdict | null; answer: TargetAnswer | null; reason?: string; failed?: TargetVerdict }> {
  const built = step === 'build' ? await googleAdsTarget.build(conv, config, context) : await googleAdsTarget.update!(conv, config, context);
  if (built.kind === 'not_sent') return { verdict: null, answer: null, reason: built.reason };
  if (built.kind === 'failed') return { verdict: null, answer: null, failed: built.verdict };
  const answer = await sendTargetRequest(built.request);
  return { verdict: googleAdsTarget.read(answer, config), answer };
}

describe('google-ads target against a fake Google Ads API on loopback', () => {
  it('uploads conversions the documented schema accepts, exchanging the refresh token once', async () => {
    const context = targetContext();
    const first = conversion();
    const second = conversion({}, 'EAIaIQobChMI-second');
    expect((await forward('build', first, context)).verdict).toEqual({ kind: 'delivered' });
    expect((await forward('build', second, context)).verdict).toEqual({ kind: 'delivered' });
    expect(google.violations).toEqual([]);
    expect(google.tokenRequests).toBe(1);
    const stored = google.uploads.get(first.id)!.row;
    expect(stored).toMatchObject({
      gclid: 'EAIaIQobChMI-test',
      conversionAction: 'customers/1234567890/conversionActions/555',
      conversionValue: 25.1,
      currencyCode: 'USD',
      orderId: first.id,
      consent: { adUserData: 'GRANTED' },
    });
    expect(stored.conversionDateTime).toMatch(/-0[45]:00$/);
    expect(stored.userIdentifiers).toHaveLength(2);
    expect(JSON.stringify(receiver.requests.map((r) => r.body))).not.toMatch(/buyer|Gmail|555 0100/i);
  });

  it('reads a partial failure in a 200 per row: not delivered', async () => {
    const unknownClick = conversion({}, null);
    unknownClick.click.identifiers = { gclid: 'never-clicked' };
    const { verdict, answer } = await forward('build', unknownClick);
    expect(answer?.statusCode).toBe(200);
    expect(verdict).toEqual({ kind: 'permanent', reason: 'Google Ads refused the conversion (UNPARSEABLE_GCLID: UNPARSEABLE_GCLID)' });
    expect(google.uploads.size).toBe(0);
  });

  it('treats a repeated upload Google already has as delivered', async () => {
    const conv = conversion();
    await forward('build', conv);
    expect((await forward('build', conv)).verdict).toEqual({ kind: 'delivered', note: 'already in Google Ads (ORDER_ID_ALREADY_IN_USE)' });
    expect(google.uploads.size).toBe(1);
  });

  it('retries a rate limit (429 RESOURCE_EXHAUSTED) after Retry-After', async () => {
    google.answerNext = json(429, { error: adsFailure(429, 'RESOURCE_EXHAUSTED', 'quotaError', 'RESOURCE_EXHAUSTED') }, { 'retry-after': '17' });
    const { verdict } = await forward('build', conversion());
    expect(verdict).toEqual({ kind: 'retry', reason: 'Google Ads rate limit (RESOURCE_EXHAUSTED: RESOURCE_EXHAUSTED)', afterMs: 17_000 });
    expect(google.violations).toEqual([]);
  });

  it('fails permanently with an alert on refused credentials, and never calls the API with a revoked refresh token', async () => {
    config = { ...config, developerToken: 'not-the-token' };
    expect((await forward('build', conversion())).verdict).toEqual({
      kind: 'permanent',
      reason: 'Google Ads refused the credentials (HTTP 401 UNAUTHENTICATED: DEVELOPER_TOKEN_INVALID: DEVELOPER_TOKEN_INVALID)',
      alert: true,
    });
    config = { ...config, refreshToken: 'revoked' };
    const apiCallsBefore = google.apiRequests;
    const { failed } = await forward('build', conversion(), targetContext());
    expect(failed).toMatchObject({ kind: 'permanent', alert: true, reason: expect.stringMatching(/invalid_grant/) });
    expect(google.apiRequests).toBe(apiCallsBefore);
  });

  it('retracts an uploaded conversion after a refund, by its order id', async () => {
    const context = targetContext();
    const conv = conversion();
    expect((await forward('build', conv, context)).verdict).toEqual({ kind: 'delivered' });
    const refunded = { ...conv, status: 'refunded' as const, previousStatus: 'approved' as const };
    expect((await forward('update', refunded, targetContext({ now: new Date() }))).verdict).toEqual({ kind: 'delivered' });
    expect(google.adjustments).toEqual([expect.objectContaining({ adjustmentType: 'RETRACTION', orderId: conv.id })]);
    // A second retraction (a retry after a lost answer) is already in place: delivered, not an error.
    expect((await forward('update', refunded)).verdict).toMatchObject({ kind: 'delivered', note: expect.stringMatching(/CONVERSION_ALREADY_RETRACTED/) });
    expect(google.violations).toEqual([]);
  });

  it('restates the value when a pending upload is approved with its final amount', async () => {
    const mapping = [
      { status: 'pending' as const, event: 'upload' },
      { status: 'approved' as const, event: 'upload' },
    ];
    const pending = conversion({ status: 'pending', payout: '10.00' });
    expect((await forward('build', pending, targetContext({ mapping }))).verdict).toEqual({ kind: 'delivered' });
    const approved = { ...pending, status: 'approved' as const, previousStatus: 'pending' as const, payout: '12.00' };
    expect((await forward('update', approved, targetContext({ mapping }))).verdict).toEqual({ kind: 'delivered' });
    expect(google.adjustments).toEqual([
      expect.objectContaining({ adjustmentType: 'RESTATEMENT', restatementValue: { adjustedValue: 12, currencyCode: 'USD' } }),
    ]);
    expect(google.violations).toEqual([]);
  });

  it('sends nothing without a Google click id, and only validates a test conversion', async () => {
    const none = await forward('build', conversion({}, null));
    expect(none).toEqual({ verdict: null, answer: null, reason: 'no Google click id (gclid, gbraid or wbraid) was captured on the click' });
    expect(receiver.count).toBe(0);
    expect((await forward('build', conversion({ isTest: true }))).verdict).toEqual({ kind: 'delivered' });
    expect(google.uploads.size).toBe(0);
    expect(google.violations).toEqual([]);
  });
});
