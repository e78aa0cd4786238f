import type { TargetAnswer, TargetContext, TargetConversion } from '@postwire/plugin-sdk';
import { runTargetConformance } from '@postwire/plugin-sdk/testing';
import plugin from './index';
import { retryAfterMs } from './tiktok-events.answer';
import type { TikTokEventsConfig } from './tiktok-events.config';
import { tiktokEventsTarget } from './tiktok-events.target';
import { normalizeEmail, normalizePhoneE164, sha256Hex, tiktokUser } from './tiktok-events.user';

function conversion(
  over: Partial<TargetConversion> = {},
  identifiers: TargetConversion['click']['identifiers'] = { ttclid: 'E.C.P.abc123', ttp: 'ttp-cookie' },
): TargetConversion {
  return {
    id: '01J0CONVERSION0000000000002',
    status: 'approved',
    previousStatus: null,
    goal: null,
    txid: null,
    payout: '7.25',
    revenue: '19.90',
    currency: 'USD',
    occurredAt: new Date('2026-06-02T08:30:15.900Z'),
    click: {
      id: 'c2',
      at: new Date('2026-06-02T08:00:00Z'),
      ip: '203.0.113.20',
      userAgent: 'Mozilla/5.0 (Linux; Android 14)',
      country: 'US',
      landingUrl: 'https://shop.example.com/landing?x=1',
      identifiers,
    },
    personal: {},
    isTest: false,
    ...over,
  };
}

const CONFIG: TikTokEventsConfig = {
  pixelCode: 'CPIXEL0123456789',
  accessToken: 'tt-access-token',
  testEventCode: '',
  value: 'payout',
  requireTtclid: true,
  apiBaseUrl: 'https://business-api.tiktok.com',
  apiVersion: 'v1.3',
};

const context = (over: Partial<TargetContext> = {}): TargetContext => ({
  now: new Date('2026-06-03T00:00:00Z'),
  mapping: [],
  http: () => Promise.reject(new Error('the TikTok target makes no side calls')),
  cache: { get: () => undefined, set: () => undefined },
  ...over,
});

async function body(build: ReturnType<typeof tiktokEventsTarget.build>) {
  const result = await build;
  if (result.kind !== 'send') throw new Error(`expected a request, got ${JSON.stringify(result)}`);
  return { request: result.request, event: result.event, json: JSON.parse(result.request.body ?? 'null') as Record<string, unknown> };
}

const answer = (statusCode: number | null, json: unknown, headers: Record<string, string> = {}): TargetAnswer => ({
  statusCode,
  headers,
  body: json === null ? null : typeof json === 'string' ? json : JSON.stringify(json),
  error: statusCode === null ? 'ETIMEDOUT' : null,
});

// As an operator saves it: an optional setting left empty is absent.
const { testEventCode: _noTestCode, ...SAVED_CONFIG } = CONFIG;
runTargetConformance(tiktokEventsTarget, { config: SAVED_CONFIG });

describe('tiktok-events target', () => {
  it('is the default export of the plugin, with the access token secret', () => {
    expect(plugin.targets).toEqual([tiktokEventsTarget]);
    expect(tiktokEventsTarget.configSchema.accessToken.secret).toBe(true);
    for (const rule of tiktokEventsTarget.defaultMapping) if (rule.event) expect(tiktokEventsTarget.events).toContain(rule.event);
  });

  describe('user fields', () => {
    it('normalises and hashes email, phone and external_id, keeps click data as it is', () => {
      expect(normalizeEmail('  Someone@Example.COM ')).toBe('someone@example.com');
      expect(normalizeEmail('nope')).toBeNull();
      expect(normalizePhoneE164('+44 20 7946 0958')).toBe('+442079460958');
      expect(normalizePhoneE164('020 7946 0958')).toBeNull();
      const user = tiktokUser(conversion({ personal: { email: 'Someone@Example.com', phone: '0044 20 7946 0958', externalId: ' user-42 ' } }));
      expect(user).toEqual({
        ttclid: 'E.C.P.abc123',
        ttp: 'ttp-cookie',
        email: sha256Hex('someone@example.com'),
        phone: sha256Hex('+442079460958'),
        external_id: sha256Hex('user-42'),
        ip: '203.0.113.20',
        user_agent: 'Mozilla/5.0 (Linux; Android 14)',
      });
      expect(tiktokUser(conversion({ personal: { email: 'B'.repeat(64), phone: 'call me' } }))).toMatchObject({ email: 'b'.repeat(64) });
      expect(tiktokUser(conversion({ personal: { phone: 'call me' } }))).not.toHaveProperty('phone');
    });
  });

  describe('build', () => {
    it('sends one web event with the pixel code, seconds, the conversion id, hashed user, value and page url', async () => {
      const { request, event, json } = await body(tiktokEventsTarget.build(conversion({ personal: { email: 'a@b.co' } }), CONFIG, context()));
      expect(request.url).toBe('https://business-api.tiktok.com/open_api/v1.3/event/track/');
      expect(request.headers).toEqual({ 'content-type': 'application/json', 'access-token': 'tt-access-token' });
      expect(event).toBe('Purchase');
      expect(json).toEqual({
        event_source: 'web',
        event_source_id: 'CPIXEL0123456789',
        data: [
          {
            event: 'Purchase',
            event_time: 1780389015,
            event_id: '01J0CONVERSION0000000000002',
            user: {
              ttclid: 'E.C.P.abc123',
              ttp: 'ttp-cookie',
              email: sha256Hex('a@b.co'),
              ip: '203.0.113.20',
              user_agent: 'Mozilla/5.0 (Linux; Android 14)',
            },
            properties: { value: 7.25, currency: 'USD' },
            page: { url: 'https://shop.example.com/landing?x=1' },
          },
        ],
      });
    });

    it('maps goals and statuses to TikTok events', async () => {
      expect((await body(tiktokEventsTarget.build(conversion({ goal: 'Lead' }), CONFIG, context()))).event).toBe('SubmitForm');
      const custom = context({ mapping: [{ status: 'pending', event: 'SubmitApplication' }] });
      expect((await body(tiktokEventsTarget.build(conversion({ status: 'pending' }), CONFIG, custom))).event).toBe('SubmitApplication');
      await expect(tiktokEventsTarget.build(conversion({ status: 'declined' }), CONFIG, context())).resolves.toEqual({
        kind: 'not_sent',
        reason: 'the event mapping sends nothing for status declined',
      });
    });

    it('sends revenue or no value as set, and no value without a currency', async () => {
      const revenue = await body(tiktokEventsTarget.build(conversion(), { ...CONFIG, value: 'revenue' }, context()));
      expect((revenue.json.data as Array<Record<string, unknown>>)[0].properties).toEqual({ value: 19.9, currency: 'USD' });
      const none = await body(tiktokEventsTarget.build(conversion(), { ...CONFIG, value: 'none' }, context()));
      expect((none.json.data as Array<Record<string, unknown>>)[0]).not.toHaveProperty('properties');
      const noCurrency = await body(tiktokEventsTarget.build(conversion({ currency: null }), CONFIG, context()));
      expect((noCurrency.json.data as Array<Record<string, unknown>>)[0]).not.toHaveProperty('properties');
    });

    it('leaves out a landing URL that is not http(s) and an amount that is not one', async () => {
      for (const landingUrl of ['not a url', 'javascript:alert(1)']) {
        const odd = conversion({ payout: 'NaN' });
        odd.click = { ...odd.click, landingUrl };
        const [event] = (await body(tiktokEventsTarget.build(odd, CONFIG, context()))).json.data as Array<Record<string, unknown>>;
        expect(event).not.toHaveProperty('page');
        expect(event).not.toHaveProperty('properties');
      }
    });

    it('does not send without a ttclid unless told to, and then needs something to match on', async () => {
      await expect(tiktokEventsTarget.build(conversion({}, { ttp: 'only-cookie' }), CONFIG, context())).resolves.toEqual({
        kind: 'not_sent',
        reason: 'no TikTok click id (ttclid) was captured on the click',
      });
      await expect(tiktokEventsTarget.build(conversion({}, { ttclid: '   ' }), CONFIG, context())).resolves.toMatchObject({ kind: 'not_sent' });
      const loose = { ...CONFIG, requireTtclid: false };
      expect((await body(tiktokEventsTarget.build(conversion({}, { ttp: 'only-cookie' }), loose, context()))).json).toMatchObject({
        data: [{ user: { ttp: 'only-cookie' } }],
      });
      const bare = conversion({}, {});
      bare.click = { ...bare.click, ip: null, userAgent: null };
      await expect(tiktokEventsTarget.build(bare, loose, context())).resolves.toMatchObject({
        kind: 'not_sent',
        reason: expect.stringMatching(/nothing TikTok can match/),
      });
    });

    it('sends test conversions with the test event code only', async () => {
      await expect(tiktokEventsTarget.build(conversion({ isTest: true }), CONFIG, context())).resolves.toMatchObject({ kind: 'not_sent' });
      const test = await body(tiktokEventsTarget.build(conversion({ isTest: true }), { ...CONFIG, testEventCode: 'TEST123' }, context()));
      expect(test.json.test_event_code).toBe('TEST123');
      const real = await body(tiktokEventsTarget.build(conversion(), { ...CONFIG, testEventCode: 'TEST123' }, context()));
      expect(real.json).not.toHaveProperty('test_event_code');
    });

    it('refuses bad settings with the setting named', async () => {
      await expect(tiktokEventsTarget.build(conversion(), { ...CONFIG, apiBaseUrl: 'not a url' }, context())).resolves.toMatchObject({
        kind: 'not_sent',
        reason: expect.stringMatching(/apiBaseUrl "not a url"/),
      });
    });
  });

  describe('update (status changes)', () => {
    it('cannot retract: a refund after a sent purchase is not sent, with the reason', async () => {
      await expect(tiktokEventsTarget.update!(conversion({ status: 'refunded', previousStatus: 'approved' }), CONFIG, context())).resolves.toEqual({
        kind: 'not_sent',
        reason: "TikTok's Events API cannot retract or change an event already sent (Purchase); the refunded status is not sent",
      });
    });

    it('sends the first event when the status before was not sent, or a new event the mapping chooses', async () => {
      expect((await body(tiktokEventsTarget.update!(conversion({ previousStatus: 'pending' }), CONFIG, context()))).event).toBe('Purchase');
      const staged = context({
        mapping: [
          { status: 'pending', event: 'SubmitForm' },
          { status: 'approved', event: 'Purchase' },
        ],
      });
      expect((await body(tiktokEventsTarget.update!(conversion({ previousStatus: 'pending' }), CONFIG, staged))).event).toBe('Purchase');
      const same = context({ mapping: [{ event: 'Purchase' }] });
      await expect(tiktokEventsTarget.update!(conversion({ previousStatus: 'pending' }), CONFIG, same)).resolves.toEqual({
        kind: 'not_sent',
        reason: 'Purchase was already sent for this conversion',
      });
    });
  });

  describe('read', () => {
    const read = (a: TargetAnswer) => tiktokEventsTarget.read(a, CONFIG);

    it('delivers code 0 only', () => {
      expect(read(answer(200, { code: 0, message: 'OK', request_id: 'r1', data: {} }))).toEqual({ kind: 'delivered' });
      expect(read(answer(200, 'OK'))).toMatchObject({ kind: 'retry', reason: expect.stringMatching(/unreadable/) });
    });

    it('retries the rate limit code and HTTP 429 after Retry-After', () => {
      expect(read(answer(200, { code: 40100, message: 'Too many requests', request_id: 'r2' }, { 'retry-after': '5' }))).toEqual({
        kind: 'retry',
        reason: 'TikTok rate limit (code 40100: Too many requests (request r2))',
        afterMs: 5000,
      });
      expect(read(answer(429, '', { 'retry-after': '2' }))).toMatchObject({ kind: 'retry', afterMs: 2000 });
      expect(retryAfterMs('Wed, 03 Jun 2026 00:00:30 GMT', Date.parse('2026-06-03T00:00:00Z'))).toBe(30_000);
    });

    it('fails permanently with an alert on token and permission codes', () => {
      for (const code of [40001, 40102, 40104, 40105]) {
        expect(read(answer(200, { code, message: 'token' }))).toMatchObject({ kind: 'permanent', alert: true });
      }
      expect(read(answer(401, { code: 40105, message: 'invalid' }))).toMatchObject({ kind: 'permanent', alert: true });
    });

    it('refuses a bad event permanently without alert, and retries TikTok-side errors and no answer', () => {
      expect(read(answer(200, { code: 40002, message: 'event_source_id: field is required' }))).toEqual({
        kind: 'permanent',
        reason: 'TikTok refused the event (code 40002: event_source_id: field is required)',
      });
      expect(read(answer(200, { code: 50002, message: 'system error' }))).toMatchObject({ kind: 'retry' });
      expect(read(answer(502, '<html/>'))).toMatchObject({ kind: 'retry' });
      expect(read(answer(null, null))).toMatchObject({ kind: 'retry', reason: expect.stringMatching(/ETIMEDOUT/) });
      expect(read(answer(404, 'not found'))).toMatchObject({ kind: 'permanent' });
    });
  });
});
