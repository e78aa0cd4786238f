import type { TargetAnswer, TargetContext, TargetConversion, TargetRequest } from '@postwire/plugin-sdk';
import { runTargetConformance } from '@postwire/plugin-sdk/testing';
import plugin from './index';
import { retryAfterMs } from './google-ads.answer';
import type { GoogleAdsConfig } from './google-ads.config';
import { googleDateTime } from './google-ads.date-time';
import { googleAdsTarget } from './google-ads.target';
import { normalizeEmail, normalizePhoneE164, sha256Hex, userIdentifiers } from './google-ads.user-identifiers';

const CLICK_AT = new Date('2026-06-01T10:00:00Z');

function conversion(
  over: Partial<TargetConversion> = {},
  identifiers: TargetConversion['click']['identifiers'] = { gclid: 'Cj0KCQjw-gclid' },
): TargetConversion {
  return {
    id: '01J0CONVERSION0000000000001',
    status: 'approved',
    previousStatus: null,
    goal: null,
    txid: 'tx-1',
    payout: '12.50',
    revenue: '40.00',
    currency: 'EUR',
    occurredAt: new Date('2026-06-02T08:30:15Z'),
    click: { id: 'c1', at: CLICK_AT, ip: '203.0.113.9', userAgent: 'Mozilla/5.0', country: 'DE', landingUrl: null, identifiers },
    personal: {},
    isTest: false,
    ...over,
  };
}

const CONFIG: GoogleAdsConfig = {
  customerId: '123-456-7890',
  conversionAction: '987654',
  loginCustomerId: '',
  developerToken: 'dev-token',
  clientId: 'client.apps.googleusercontent.com',
  clientSecret: 'client-secret',
  refreshToken: 'refresh-token',
  timeZone: 'Europe/Berlin',
  value: 'payout',
  adUserDataConsent: 'GRANTED',
  userIdentifiers: true,
  apiVersion: 'v26',
  apiBaseUrl: 'https://googleads.googleapis.com',
  tokenUrl: 'https://oauth2.googleapis.com/token',
};

/** A context whose token endpoint answers `tokenAnswer`; records the side calls. */
function context(tokenAnswer: Partial<TargetAnswer> = {}, over: Partial<TargetContext> = {}) {
  const calls: TargetRequest[] = [];
  const store = new Map<string, string>();
  const ctx: TargetContext = {
    now: new Date('2026-06-03T12:00:00Z'),
    mapping: [],
    http: async (request) => {
      calls.push(request);
      return { statusCode: 200, headers: {}, body: JSON.stringify({ access_token: 'ya29.token', expires_in: 3599 }), error: null, ...tokenAnswer };
    },
    cache: { get: (k) => store.get(k), set: (k, v) => void store.set(k, v) },
    ...over,
  };
  return { ctx, calls, store };
}

const answer = (statusCode: number | null, body: unknown, headers: Record<string, string> = {}): TargetAnswer => ({
  statusCode,
  headers,
  body: body === null ? null : JSON.stringify(body),
  error: statusCode === null ? 'ECONNREFUSED' : null,
});

/** A `google.rpc.Status` carrying one GoogleAdsFailure with these errors. */
const failure = (code: number, errors: Array<[string, string]>, status?: string) => ({
  code,
  message: 'failed',
  ...(status ? { status } : {}),
  details: [
    {
      '@type': 'type.googleapis.com/google.ads.googleads.v26.errors.GoogleAdsFailure',
      errors: errors.map(([family, value]) => ({ errorCode: { [family]: value }, message: `${value} happened` })),
    },
  ],
});

async function sent(build: ReturnType<typeof googleAdsTarget.build>) {
  const result = await build;
  if (result.kind !== 'send') throw new Error(`expected a request, got ${JSON.stringify(result)}`);
  return { request: result.request, body: JSON.parse(result.request.body ?? 'null') as Record<string, unknown> };
}

/** Google's token endpoint as the kit's side-call stub: a token for a refresh-token exchange at the configured URL, nothing else. */
const tokenEndpoint: TargetContext['http'] = async (request) => {
  const form = new URLSearchParams(request.body ?? '');
  if (
    request.method !== 'POST' ||
    request.url !== CONFIG.tokenUrl ||
    form.get('grant_type') !== 'refresh_token' ||
    form.get('refresh_token') !== CONFIG.refreshToken
  )
    return { statusCode: 400, headers: {}, body: JSON.stringify({ error: 'invalid_request' }), error: null };
  return { statusCode: 200, headers: {}, body: JSON.stringify({ access_token: 'ya29.conformance', expires_in: 3599 }), error: null };
};

// As an operator saves it: an optional setting left empty is absent.
const { loginCustomerId: _noManager, ...SAVED_CONFIG } = CONFIG;
runTargetConformance(googleAdsTarget, { config: SAVED_CONFIG, http: tokenEndpoint });

describe('google-ads target', () => {
  it('is the default export of the plugin', () => {
    expect(plugin.targets).toEqual([googleAdsTarget]);
  });

  it('marks the credentials as secrets', () => {
    const secrets = Object.entries(googleAdsTarget.configSchema)
      .filter(([, field]) => 'secret' in field && field.secret)
      .map(([key]) => key);
    expect(secrets.sort()).toEqual(['clientSecret', 'developerToken', 'refreshToken']);
  });

  describe('conversion_date_time', () => {
    it('is the wall clock of the zone with its offset, daylight saving included', () => {
      expect(googleDateTime(new Date('2026-07-01T12:05:09Z'), 'Europe/Berlin')).toBe('2026-07-01 14:05:09+02:00');
      expect(googleDateTime(new Date('2026-01-01T12:05:09Z'), 'Europe/Berlin')).toBe('2026-01-01 13:05:09+01:00');
      expect(googleDateTime(new Date('2026-01-01T00:30:00Z'), 'America/Los_Angeles')).toBe('2025-12-31 16:30:00-08:00');
      expect(googleDateTime(new Date('2026-01-01T00:30:00Z'), 'Asia/Kolkata')).toBe('2026-01-01 06:00:00+05:30');
      expect(googleDateTime(new Date('2026-01-01T00:00:00Z'), 'UTC')).toBe('2026-01-01 00:00:00+00:00');
    });
  });

  describe('user identifiers (enhanced conversions)', () => {
    it('normalises emails as Google documents', () => {
      expect(normalizeEmail('  John.Doe@GMail.com ')).toBe('johndoe@gmail.com');
      expect(normalizeEmail('j.o.e@googlemail.com')).toBe('joe@googlemail.com');
      expect(normalizeEmail('Jane.Roe@Example.com')).toBe('jane.roe@example.com');
      expect(normalizeEmail('not an email')).toBeNull();
      expect(normalizeEmail('@example.com')).toBeNull();
    });

    it('keeps only phones that can be written in E.164 without guessing a country', () => {
      expect(normalizePhoneE164('+1 (650) 555-1234')).toBe('+16505551234');
      expect(normalizePhoneE164('0049 30 1234567')).toBe('+49301234567');
      expect(normalizePhoneE164('030 1234567')).toBeNull();
      expect(normalizePhoneE164('+0123')).toBeNull();
    });

    it('hashes with SHA-256 in lower-case hex and passes through values already hashed', () => {
      expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
      const prehashed = 'A'.repeat(64);
      expect(userIdentifiers({ email: prehashed, phone: '+16505551234' })).toEqual([
        { hashedEmail: 'a'.repeat(64) },
        { hashedPhoneNumber: sha256Hex('+16505551234') },
      ]);
      expect(userIdentifiers({ email: 'nope', phone: '555' })).toEqual([]);
    });
  });

  describe('build', () => {
    it('uploads one click conversion with partial failure on, the order id, the value, consent and hashed identifiers', async () => {
      const { ctx, calls } = context();
      const { request, body } = await sent(
        googleAdsTarget.build(conversion({ personal: { email: 'John.Doe@gmail.com', phone: '+1 650 555 1234' } }), CONFIG, ctx),
      );
      expect(request.url).toBe('https://googleads.googleapis.com/v26/customers/1234567890:uploadClickConversions');
      expect(request.headers).toEqual({ 'content-type': 'application/json', authorization: 'Bearer ya29.token', 'developer-token': 'dev-token' });
      expect(body).toEqual({
        conversions: [
          {
            gclid: 'Cj0KCQjw-gclid',
            conversionAction: 'customers/1234567890/conversionActions/987654',
            conversionDateTime: '2026-06-02 10:30:15+02:00',
            conversionValue: 12.5,
            currencyCode: 'EUR',
            orderId: '01J0CONVERSION0000000000001',
            consent: { adUserData: 'GRANTED' },
            userIdentifiers: [{ hashedEmail: sha256Hex('johndoe@gmail.com') }, { hashedPhoneNumber: sha256Hex('+16505551234') }],
          },
        ],
        partialFailure: true,
      });
      expect(request.body).not.toMatch(/John|650 555/);
      expect(calls).toHaveLength(1);
      expect(new URLSearchParams(calls[0].body ?? '').get('grant_type')).toBe('refresh_token');
    });

    it('reuses the cached access token', async () => {
      const { ctx, calls } = context();
      await sent(googleAdsTarget.build(conversion(), CONFIG, ctx));
      await sent(googleAdsTarget.build(conversion(), CONFIG, ctx));
      expect(calls).toHaveLength(1);
    });

    it('sends the manager account header, revenue as the value, and no consent when unspecified', async () => {
      const { request, body } = await sent(
        googleAdsTarget.build(conversion(), { ...CONFIG, loginCustomerId: '111-222-3333', value: 'revenue', adUserDataConsent: 'UNSPECIFIED' }, context().ctx),
      );
      expect(request.headers['login-customer-id']).toBe('1112223333');
      const [row] = body.conversions as Array<Record<string, unknown>>;
      expect(row.conversionValue).toBe(40);
      expect(row).not.toHaveProperty('consent');
    });

    it('uses gbraid or wbraid when there is no gclid, and validates only for a test conversion', async () => {
      const { body } = await sent(googleAdsTarget.build(conversion({ isTest: true }, { wbraid: 'wb-1' }), CONFIG, context().ctx));
      expect(body.validateOnly).toBe(true);
      expect((body.conversions as Array<Record<string, unknown>>)[0]).toMatchObject({ wbraid: 'wb-1' });
      expect((body.conversions as Array<Record<string, unknown>>)[0]).not.toHaveProperty('gclid');
    });

    it('sends no value for an amount that is not one', async () => {
      for (const payout of ['NaN', '-3', '']) {
        const { body } = await sent(googleAdsTarget.build(conversion({ payout }), CONFIG, context().ctx));
        expect((body.conversions as Array<Record<string, unknown>>)[0]).not.toHaveProperty('conversionValue');
        expect((body.conversions as Array<Record<string, unknown>>)[0]).not.toHaveProperty('currencyCode');
      }
    });

    it('does not cache a token that expires within the renewal margin', async () => {
      const { ctx, calls } = context({ body: JSON.stringify({ access_token: 'ya29.short', expires_in: 120 }) });
      await sent(googleAdsTarget.build(conversion(), CONFIG, ctx));
      await sent(googleAdsTarget.build(conversion(), CONFIG, ctx));
      expect(calls).toHaveLength(2);
    });

    it('takes a blank click id for none', async () => {
      const { body } = await sent(googleAdsTarget.build(conversion({}, { gclid: '  ', gbraid: ' gb-1 ' }), CONFIG, context().ctx));
      expect((body.conversions as Array<Record<string, unknown>>)[0]).toMatchObject({ gbraid: 'gb-1' });
      await expect(googleAdsTarget.build(conversion({}, { gclid: ' ', wbraid: '' }), CONFIG, context().ctx)).resolves.toMatchObject({ kind: 'not_sent' });
    });

    it('never dates the conversion at or before its click', async () => {
      const early = conversion({ occurredAt: new Date(CLICK_AT.getTime() - 5000) });
      const { body } = await sent(googleAdsTarget.build(early, { ...CONFIG, timeZone: 'UTC' }, context().ctx));
      expect((body.conversions as Array<Record<string, unknown>>)[0].conversionDateTime).toBe('2026-06-01 10:00:01+00:00');
    });

    it('does not send without a Google click id, after 90 days, when the mapping drops the status, or with bad settings', async () => {
      const { ctx, calls } = context();
      await expect(googleAdsTarget.build(conversion({}, { fbclid: 'fb' }), CONFIG, ctx)).resolves.toEqual({
        kind: 'not_sent',
        reason: 'no Google click id (gclid, gbraid or wbraid) was captured on the click',
      });
      const old = conversion({ occurredAt: new Date(CLICK_AT.getTime() + 91 * 86_400_000) });
      await expect(googleAdsTarget.build(old, CONFIG, ctx)).resolves.toMatchObject({
        kind: 'not_sent',
        reason: expect.stringMatching(/91 days after its click/),
      });
      await expect(googleAdsTarget.build(conversion({ status: 'pending' }), CONFIG, ctx)).resolves.toMatchObject({
        kind: 'not_sent',
        reason: 'the event mapping sends nothing for status pending',
      });
      await expect(googleAdsTarget.build(conversion(), { ...CONFIG, timeZone: 'Mars/Olympus' }, ctx)).resolves.toMatchObject({
        kind: 'not_sent',
        reason: expect.stringMatching(/timeZone "Mars\/Olympus"/),
      });
      await expect(googleAdsTarget.build(conversion(), { ...CONFIG, customerId: '12345' }, ctx)).resolves.toMatchObject({
        reason: expect.stringMatching(/customerId "12345"/),
      });
      expect(calls).toHaveLength(0);
    });

    it('follows the operator mapping', async () => {
      const { ctx } = context({}, { mapping: [{ status: 'pending', event: 'upload' }] });
      await expect(googleAdsTarget.build(conversion({ status: 'pending' }), CONFIG, ctx)).resolves.toMatchObject({ kind: 'send' });
      await expect(googleAdsTarget.build(conversion({ status: 'approved' }), CONFIG, ctx)).resolves.toMatchObject({ kind: 'not_sent' });
    });

    it('fails the attempt when Google refuses the refresh token, permanently, and temporarily when the endpoint is down', async () => {
      const refused = context({ statusCode: 400, body: JSON.stringify({ error: 'invalid_grant', error_description: 'Token has been expired or revoked.' }) });
      expect(await googleAdsTarget.build(conversion(), CONFIG, refused.ctx)).toEqual({
        kind: 'failed',
        verdict: { kind: 'permanent', alert: true, reason: expect.stringMatching(/invalid_grant: Token has been expired or revoked/) },
      });
      const down = context({ statusCode: 503, body: 'unavailable' });
      expect(await googleAdsTarget.update!(conversion({ status: 'refunded', previousStatus: 'approved' }), CONFIG, down.ctx)).toEqual({
        kind: 'failed',
        verdict: { kind: 'retry', reason: expect.stringMatching(/HTTP 503/) },
      });
      expect(refused.store.size + down.store.size).toBe(0);
    });
  });

  describe('update (status changes)', () => {
    const refunded = conversion({ status: 'refunded', previousStatus: 'approved' });

    it('retracts an uploaded conversion that the mapping now drops, by its order id', async () => {
      const { request, body } = await sent(googleAdsTarget.update!(refunded, CONFIG, context().ctx));
      expect(request.url).toBe('https://googleads.googleapis.com/v26/customers/1234567890:uploadConversionAdjustments');
      expect(body).toEqual({
        conversionAdjustments: [
          {
            conversionAction: 'customers/1234567890/conversionActions/987654',
            adjustmentType: 'RETRACTION',
            adjustmentDateTime: '2026-06-03 14:00:00+02:00',
            orderId: '01J0CONVERSION0000000000001',
          },
        ],
        partialFailure: true,
      });
    });

    it('restates the value when the conversion still counts, and uploads when nothing was uploaded before', async () => {
      const { ctx } = context(
        {},
        {
          mapping: [
            { status: 'pending', event: 'upload' },
            { status: 'approved', event: 'upload' },
          ],
        },
      );
      const restated = await sent(googleAdsTarget.update!(conversion({ previousStatus: 'pending', payout: '15.00' }), CONFIG, ctx));
      expect((restated.body.conversionAdjustments as Array<Record<string, unknown>>)[0]).toMatchObject({
        adjustmentType: 'RESTATEMENT',
        restatementValue: { adjustedValue: 15, currencyCode: 'EUR' },
      });
      const first = await sent(googleAdsTarget.update!(conversion({ previousStatus: 'pending' }), CONFIG, context().ctx));
      expect(first.request.url).toMatch(/:uploadClickConversions$/);
    });

    it('does not adjust wbraid conversions, nor restate without a value, nor send a drop that was never uploaded', async () => {
      const { ctx } = context();
      await expect(
        googleAdsTarget.update!(conversion({ status: 'refunded', previousStatus: 'approved' }, { wbraid: 'wb' }), CONFIG, ctx),
      ).resolves.toMatchObject({
        kind: 'not_sent',
        reason: expect.stringMatching(/wbraid/),
      });
      const both = context({}, { mapping: [{ event: 'upload' }] });
      await expect(googleAdsTarget.update!(conversion({ previousStatus: 'pending' }), { ...CONFIG, value: 'none' }, both.ctx)).resolves.toMatchObject({
        kind: 'not_sent',
        reason: expect.stringMatching(/no conversion value to restate/),
      });
      await expect(googleAdsTarget.update!(conversion({ status: 'declined', previousStatus: 'pending' }), CONFIG, ctx)).resolves.toMatchObject({
        kind: 'not_sent',
      });
      const tooOld = conversion({ status: 'refunded', previousStatus: 'approved', occurredAt: new Date(CLICK_AT.getTime() + 95 * 86_400_000) });
      await expect(googleAdsTarget.update!(tooOld, CONFIG, ctx)).resolves.toMatchObject({
        kind: 'not_sent',
        reason: expect.stringMatching(/^nothing was uploaded that could be adjusted: the conversion came 95 days/),
      });
    });
  });

  describe('read', () => {
    const read = (a: TargetAnswer) => googleAdsTarget.read(a, CONFIG);

    it('delivers a 200 without a partial failure, and a duplicate Google already has', () => {
      expect(read(answer(200, { results: [{ gclid: 'x', conversionAction: 'a', conversionDateTime: 'd' }], jobId: '1' }))).toEqual({ kind: 'delivered' });
      expect(
        read(answer(200, { partialFailureError: failure(3, [['conversionUploadError', 'CLICK_CONVERSION_ALREADY_EXISTS']]), results: [{}] })),
      ).toMatchObject({
        kind: 'delivered',
        note: expect.stringMatching(/already in Google Ads/),
      });
    });

    it('reads a partial failure in a 200 per row: permanent, alerted for setup problems, retried when too recent', () => {
      expect(read(answer(200, { partialFailureError: failure(3, [['conversionUploadError', 'EXPIRED_EVENT']]), results: [{}] }))).toEqual({
        kind: 'permanent',
        reason: 'Google Ads refused the conversion (EXPIRED_EVENT: EXPIRED_EVENT happened)',
      });
      expect(read(answer(200, { partialFailureError: failure(3, [['conversionUploadError', 'CUSTOMER_NOT_ACCEPTED_CUSTOMER_DATA_TERMS']]) }))).toMatchObject({
        kind: 'permanent',
        alert: true,
      });
      expect(read(answer(200, { partialFailureError: failure(3, [['conversionUploadError', 'TOO_RECENT_EVENT']]) }))).toMatchObject({
        kind: 'retry',
        afterMs: 6 * 3600 * 1000,
      });
      expect(read(answer(200, { partialFailureError: failure(3, [['conversionAdjustmentUploadError', 'CONVERSION_NOT_FOUND']]) }))).toMatchObject({
        kind: 'retry',
        afterMs: 6 * 3600 * 1000,
      });
      expect(read(answer(200, { partialFailureError: failure(3, [['conversionAdjustmentUploadError', 'CONVERSION_ALREADY_RETRACTED']]) }))).toMatchObject({
        kind: 'delivered',
      });
    });

    it('retries a rate limit after Retry-After or the quota error retryDelay', () => {
      expect(read(answer(429, { error: failure(429, [['quotaError', 'RESOURCE_EXHAUSTED']], 'RESOURCE_EXHAUSTED') }, { 'retry-after': '30' }))).toMatchObject({
        kind: 'retry',
        afterMs: 30_000,
      });
      const withDelay = {
        error: {
          code: 429,
          status: 'RESOURCE_EXHAUSTED',
          details: [{ errors: [{ errorCode: { quotaError: 'RESOURCE_TEMPORARILY_EXHAUSTED' }, details: { quotaErrorDetails: { retryDelay: '12.5s' } } }] }],
        },
      };
      expect(read(answer(429, withDelay))).toMatchObject({ kind: 'retry', afterMs: 12_500 });
      expect(retryAfterMs('Wed, 03 Jun 2026 12:01:00 GMT', [], Date.parse('2026-06-03T12:00:00Z'))).toBe(60_000);
    });

    it('treats 401 and 403 as permanent with an alert', () => {
      expect(read(answer(401, { error: failure(401, [['authenticationError', 'OAUTH_TOKEN_INVALID']], 'UNAUTHENTICATED') }))).toMatchObject({
        kind: 'permanent',
        alert: true,
        reason: expect.stringMatching(/OAUTH_TOKEN_INVALID/),
      });
      expect(read(answer(403, { error: failure(403, [['authorizationError', 'DEVELOPER_TOKEN_NOT_APPROVED']], 'PERMISSION_DENIED') }))).toMatchObject({
        kind: 'permanent',
        alert: true,
      });
    });

    it('retries server errors and no answer; refuses other client errors permanently', () => {
      expect(read(answer(503, { error: { code: 503, status: 'UNAVAILABLE', message: 'try later' } }))).toMatchObject({ kind: 'retry' });
      expect(read(answer(null, null))).toMatchObject({ kind: 'retry', reason: expect.stringMatching(/ECONNREFUSED/) });
      expect(read(answer(400, { error: failure(400, [['requestError', 'INVALID_ENUM_VALUE']], 'INVALID_ARGUMENT') }))).toEqual({
        kind: 'permanent',
        reason: 'Google Ads refused the request (HTTP 400: INVALID_ENUM_VALUE: INVALID_ENUM_VALUE happened)',
      });
      expect(read(answer(400, { error: failure(400, [['headerError', 'INVALID_LOGIN_CUSTOMER_ID']], 'INVALID_ARGUMENT') }))).toMatchObject({ alert: true });
      expect(read({ statusCode: 502, headers: {}, body: '<html>bad gateway</html>', error: 'HTTP 502' })).toMatchObject({ kind: 'retry' });
    });
  });
});
