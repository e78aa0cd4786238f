import type { TargetAnswer, TargetConversion, TargetVerdict } from '@postwire/plugin-sdk';
import { z } from 'zod';
import { Receiver, type ReceivedRequest } from '../../test/support/receiver';
import { sendTargetRequest, targetContext } from '../../test/support/target-http';
import type { TikTokEventsConfig } from './tiktok-events.config';
import { TIKTOK_EVENTS, tiktokEventsTarget } from './tiktok-events.target';

/*
 * A fake TikTok Events API on loopback. Every request the target builds is sent for real (undici)
 * and checked against a schema written from TikTok's documentation:
 * - Events API 2.0, web events: POST https://business-api.tiktok.com/open_api/v1.3/event/track/
 *   with the `Access-Token` header; body `event_source` "web", `event_source_id` (the pixel code),
 *   optional `test_event_code`, `data[]` of { event, event_time (Unix timestamp in seconds),
 *   event_id, user { ttclid, ttp, email, phone, external_id — "It must be hashed with SHA-256 on
 *   the client side" —, ip, user_agent }, properties { value (number), currency (ISO 4217) },
 *   page { url } }: https://business-api.tiktok.com/portal/docs?id=1771100865818625 (Events API
 *   for Web) and https://business-api.tiktok.com/portal/docs?id=1771101276978178 (Events 2.0).
 * - Answers: HTTP 200 with { code, message, request_id, data }; code 0 is success; 40100 the rate
 *   limit, 40105 an invalid or revoked access token, 40002 a parameter error: the Business API
 *   return codes, https://business-api.tiktok.com/portal/docs?id=1737172488964097.
 * - Event names: TikTok's standard events, https://ads.tiktok.com/help/article/supported-standard-events.
 */

const SHA256_HEX = z.string().regex(/^[0-9a-f]{64}$/, 'SHA-256 as 64 lower-case hex characters');
const webEvent = z
  .object({
    event: z.enum(TIKTOK_EVENTS),
    // Seconds, not milliseconds: 10 digits for any date between 2001 and 2286.
    event_time: z.number().int().min(1_000_000_000).max(9_999_999_999),
    event_id: z.string().min(1),
    user: z
      .object({
        ttclid: z.string().min(1).optional(),
        ttp: z.string().min(1).optional(),
        email: SHA256_HEX.optional(),
        phone: SHA256_HEX.optional(),
        external_id: SHA256_HEX.optional(),
        ip: z.string().ip().optional(),
        user_agent: z.string().min(1).optional(),
      })
      .strict(),
    properties: z
      .object({ value: z.number().nonnegative(), currency: z.string().regex(/^[A-Z]{3}$/) })
      .strict()
      .optional(),
    page: z.object({ url: z.string().url() }).strict().optional(),
  })
  .strict();
const track = z
  .object({
    event_source: z.literal('web'),
    event_source_id: z.string().min(1),
    test_event_code: z.string().min(1).optional(),
    data: z.array(webEvent).min(1).max(1000),
  })
  .strict();

type Answer = { status: number; body?: string; headers?: Record<string, string> };
const ACCESS_TOKEN = 'tt-token-abc';
const PIXEL = 'CPIXELFAKE00001';
const envelope = (code: number, message: string, headers: Record<string, string> = {}): Answer => ({
  status: 200,
  body: JSON.stringify({ code, message, request_id: `req-${code}`, data: {} }),
  headers: { 'content-type': 'application/json', ...headers },
});

class FakeTikTok {
  readonly violations: string[] = [];
  readonly events: Array<z.infer<typeof webEvent>> = [];
  readonly testEvents: Array<z.infer<typeof webEvent>> = [];
  answerNext: Answer | null = null;

  constructor(receiver: Receiver) {
    receiver.respondWith((req) => this.track(req));
  }

  private track(req: ReceivedRequest): Answer {
    if (req.method !== 'POST' || req.url !== '/open_api/v1.3/event/track/') return { status: 404, body: 'not found' };
    if (req.headers['access-token'] !== ACCESS_TOKEN) return envelope(40105, 'The access token is invalid or has been revoked.');
    if (req.headers['content-type'] !== 'application/json') this.violations.push('content-type is not application/json');
    const parsed = track.safeParse(JSON.parse(req.body));
    if (!parsed.success) {
      this.violations.push(...parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
      return envelope(40002, parsed.error.issues[0].message);
    }
    if (parsed.data.event_source_id !== PIXEL) return envelope(40002, 'event_source_id: pixel not found');
    for (const e of parsed.data.data) if (e.event_time * 1000 > Date.now() + 60_000) this.violations.push(`event_time ${e.event_time} is in the future`);
    if (this.answerNext) {
      const answer = this.answerNext;
      this.answerNext = null;
      return answer;
    }
    (parsed.data.test_event_code ? this.testEvents : this.events).push(...parsed.data.data);
    return envelope(0, 'OK');
  }
}

let receiver: Receiver;
let tiktok: FakeTikTok;
let config: TikTokEventsConfig;

beforeAll(async () => {
  receiver = await Receiver.start();
});
afterAll(() => receiver.close());
beforeEach(() => {
  receiver.reset();
  tiktok = new FakeTikTok(receiver);
  config = {
    pixelCode: PIXEL,
    accessToken: ACCESS_TOKEN,
    testEventCode: 'TEST98765',
    value: 'payout',
    requireTtclid: true,
    apiBaseUrl: receiver.url,
    apiVersion: 'v1.3',
  };
});

let sequence = 0;
function conversion(
  over: Partial<TargetConversion> = {},
  identifiers: TargetConversion['click']['identifiers'] = { ttclid: 'E.C.P.CvQBttclid', ttp: '2F7h37YkS1j57AYSKTI7IHhJPYH' },
): TargetConversion {
  sequence++;
  const clickAt = new Date(Date.now() - 2 * 3600_000);
  return {
    id: `01JTIKTOK${String(sequence).padStart(17, '0')}`,
    status: 'approved',
    previousStatus: null,
    goal: null,
    txid: null,
    payout: '3.40',
    revenue: null,
    currency: 'EUR',
    occurredAt: new Date(clickAt.getTime() + 1800_000),
    click: {
      id: `click-${sequence}`,
      at: clickAt,
      ip: '2001:db8::7',
      userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0)',
      country: 'FR',
      landingUrl: 'https://offer.example.fr/lp?utm_source=tiktok',
      identifiers,
    },
    personal: { email: 'Client@Example.fr', phone: '+33 6 12 34 56 78', externalId: 'crm-881' },
    isTest: false,
    ...over,
  };
}

async function forward(
  step: 'build' | 'update',
  conv: TargetConversion,
): Promise<{ verdict: TargetVerdict | null; answer: TargetAnswer | null; reason?: string }> {
  const context = targetContext();
  const built = step === 'build' ? await tiktokEventsTarget.build(conv, config, context) : await tiktokEventsTarget.update!(conv, config, context);
  if (built.kind === 'not_sent') return { verdict: null, answer: null, reason: built.reason };
  if (built.kind === 'failed') throw new Error(`TikTok's build has no side call that can fail: ${built.verdict.reason}`);
  const answer = await sendTargetRequest(built.request);
  return { verdict: tiktokEventsTarget.read(answer, config), answer };
}

describe('tiktok-events target against a fake TikTok Events API on loopback', () => {
  it('sends events the documented schema accepts, PII hashed', async () => {
    const first = conversion();
    expect((await forward('build', first)).verdict).toEqual({ kind: 'delivered' });
    expect((await forward('build', conversion({ goal: 'lead' }))).verdict).toEqual({ kind: 'delivered' });
    expect(tiktok.violations).toEqual([]);
    expect(tiktok.events.map((e) => e.event)).toEqual(['Purchase', 'SubmitForm']);
    expect(tiktok.events[0]).toMatchObject({
      event_id: first.id,
      event_time: Math.floor(first.occurredAt.getTime() / 1000),
      user: { ttclid: 'E.C.P.CvQBttclid', ip: '2001:db8::7' },
      properties: { value: 3.4, currency: 'EUR' },
      page: { url: 'https://offer.example.fr/lp?utm_source=tiktok' },
    });
    expect(Object.keys(tiktok.events[0].user).sort()).toEqual(['email', 'external_id', 'ip', 'phone', 'ttclid', 'ttp', 'user_agent']);
    expect(receiver.requests.map((r) => r.body).join()).not.toMatch(/client@example|12 34 56|crm-881/i);
  });

  it('retries when TikTok answers its rate-limit code, after Retry-After', async () => {
    tiktok.answerNext = envelope(40100, 'Too many requests. Please retry in some time.', { 'retry-after': '9' });
    expect((await forward('build', conversion())).verdict).toEqual({
      kind: 'retry',
      reason: 'TikTok rate limit (code 40100: Too many requests. Please retry in some time. (request req-40100))',
      afterMs: 9000,
    });
    expect(tiktok.events).toEqual([]);
  });

  it('fails permanently with an alert when the access token is refused', async () => {
    config = { ...config, accessToken: 'revoked-token' };
    expect((await forward('build', conversion())).verdict).toEqual({
      kind: 'permanent',
      reason: 'TikTok refused the access token (code 40105: The access token is invalid or has been revoked. (request req-40105))',
      alert: true,
    });
  });

  it('fails permanently, without alert, when TikTok refuses the event itself', async () => {
    config = { ...config, pixelCode: 'CSOMEOTHERPIXEL' };
    expect((await forward('build', conversion())).verdict).toEqual({
      kind: 'permanent',
      reason: 'TikTok refused the event (code 40002: event_source_id: pixel not found (request req-40002))',
    });
    expect(tiktok.violations).toEqual([]);
  });

  it('sends nothing after a refund (TikTok cannot retract) and nothing without a ttclid', async () => {
    const conv = conversion();
    await forward('build', conv);
    const before = receiver.count;
    expect(await forward('update', { ...conv, status: 'refunded', previousStatus: 'approved' })).toEqual({
      verdict: null,
      answer: null,
      reason: "TikTok's Events API cannot retract or change an event already sent (Purchase); the refunded status is not sent",
    });
    expect(await forward('build', conversion({}, { ttp: 'cookie-only' }))).toEqual({
      verdict: null,
      answer: null,
      reason: 'no TikTok click id (ttclid) was captured on the click',
    });
    expect(receiver.count).toBe(before);
  });

  it("puts test conversions in TikTok's test events with the test event code", async () => {
    expect((await forward('build', conversion({ isTest: true }))).verdict).toEqual({ kind: 'delivered' });
    expect(tiktok.testEvents).toHaveLength(1);
    expect(tiktok.events).toHaveLength(0);
    expect(tiktok.violations).toEqual([]);
  });
});
