import { sha256NormalizedEmail, type TargetConversion } from '@postwire/plugin-sdk';
import { runTargetConformance, testTargetContext } from '@postwire/plugin-sdk/testing';
import { META_DEFAULT_GRAPH_VERSION, metaCapiTarget } from './meta-capi.target';
import { metaRequestProblems } from './meta-request-rules';

const CONFIG = { pixelId: '123456789', accessToken: 'EAAB-secret-token', graphVersion: META_DEFAULT_GRAPH_VERSION, apiBaseUrl: 'https://graph.facebook.com' };
const NOW = new Date('2026-06-15T12:00:00.000Z');

runTargetConformance(metaCapiTarget, { config: CONFIG });

function conversion(
  overrides: Partial<TargetConversion> = {},
  identifiers: TargetConversion['click']['identifiers'] = { fbclid: 'IwAR2F4-dbP0l7Mn1IawQQ' },
): TargetConversion {
  return {
    id: '5f0c1a9e-0000-4000-8000-000000000001',
    status: 'approved',
    previousStatus: null,
    goal: null,
    txid: 'order-9',
    payout: '12.50',
    revenue: null,
    currency: 'EUR',
    occurredAt: new Date(NOW.getTime() - 3_600_000),
    click: {
      id: '01JCLICK000000000000000000',
      at: new Date('2026-06-15T10:00:00.123Z'),
      ip: '203.0.113.9',
      userAgent: 'Mozilla/5.0 (test)',
      country: 'DE',
      landingUrl: 'https://shop.example/landing?x=1',
      identifiers,
    },
    personal: { email: ' John_Smith@gmail.com', phone: '+1 (650) 555-1212' },
    isTest: false,
    ...overrides,
  };
}

async function built(
  c: TargetConversion,
  config: Record<string, unknown> = CONFIG,
  mapping: TargetConversion extends never ? never : Parameters<typeof testTargetContext>[1] = [],
) {
  return metaCapiTarget.build(c, config as typeof CONFIG & { testEventCode: string; websiteUrl: string }, testTargetContext(NOW, mapping));
}

describe('Meta Conversions API target: the request', () => {
  it('sends an event Meta accepts, with the documented fields', async () => {
    const result = await built(conversion());
    if (result.kind !== 'send') throw new Error(`not sent: ${JSON.stringify(result)}`);
    const { request } = result;
    expect(request.url).toBe(`https://graph.facebook.com/${META_DEFAULT_GRAPH_VERSION}/123456789/events`);
    expect(request.headers.authorization).toBe('Bearer EAAB-secret-token');
    expect(request.url + request.body).not.toContain('EAAB-secret-token');
    const path = new URL(request.url).pathname;
    expect(metaRequestProblems({ method: request.method, path, authorization: request.headers.authorization, body: request.body }, NOW.getTime())).toEqual([]);
    const event = (JSON.parse(request.body!) as { data: Array<Record<string, unknown>> }).data[0];
    expect(event).toEqual({
      event_name: 'Purchase',
      event_time: Math.floor((NOW.getTime() - 3_600_000) / 1000),
      event_id: '5f0c1a9e-0000-4000-8000-000000000001',
      action_source: 'website',
      event_source_url: 'https://shop.example/landing?x=1',
      user_data: {
        // fb.1.<click time in ms>.<fbclid>, as https://developers.facebook.com/docs/marketing-api/conversions-api/parameters/fbp-and-fbc documents.
        fbc: `fb.1.${Date.parse('2026-06-15T10:00:00.123Z')}.IwAR2F4-dbP0l7Mn1IawQQ`,
        client_ip_address: '203.0.113.9',
        client_user_agent: 'Mozilla/5.0 (test)',
        // Meta's own examples (customer information parameters page).
        em: ['62a14e44f765419d10fea99367361a727c12365e2520f32218d505ed9aa0f62f'],
        ph: ['e323ec626319ca94ee8bff2e4c87cf613be6ea19919ed1364124e16807ab3176'],
      },
      custom_data: { value: 12.5, currency: 'EUR', order_id: 'order-9' },
    });
    expect(result.event).toBe('Purchase');
  });

  it('prefers a captured _fbc and sends _fbp as they are', async () => {
    const result = await built(conversion({}, { fbclid: 'abc', fbc: 'fb.1.1700000000000.original', fbp: 'fb.1.1700000000000.123456' }));
    const user = (JSON.parse((result as { request: { body: string } }).request.body) as { data: Array<{ user_data: Record<string, unknown> }> }).data[0]
      .user_data;
    expect(user.fbc).toBe('fb.1.1700000000000.original');
    expect(user.fbp).toBe('fb.1.1700000000000.123456');
  });

  it('passes stored hashes through without hashing them again', async () => {
    const digest = sha256NormalizedEmail('john_smith@gmail.com')!;
    const result = await built(conversion({ personal: { email: digest } }));
    expect((result as { request: { body: string } }).request.body).toContain(`"em":["${digest}"]`);
  });

  it('maps statuses and goals by the operator rules, and says why an event is not sent', async () => {
    const mapping = [
      { goal: 'lead', event: 'Lead' },
      { status: 'approved' as const, event: 'Purchase' },
      { status: 'declined' as const, event: null },
    ];
    expect(await built(conversion({ goal: 'LEAD', status: 'pending' }), CONFIG, mapping)).toMatchObject({ kind: 'send', event: 'Lead' });
    expect(await built(conversion({ status: 'declined' }), CONFIG, mapping)).toEqual({
      kind: 'not_sent',
      reason: 'the event mapping sends nothing for status "declined" and the default goal',
    });
  });

  it('does not send events older than 7 days, nor without any Meta identifier or a URL', async () => {
    expect(await built(conversion({ occurredAt: new Date(NOW.getTime() - 8 * 86_400_000) }))).toEqual({
      kind: 'not_sent',
      reason: "the conversion is older than Meta's 7-day window for server events",
    });
    expect(await built(conversion({ personal: {} }, {}))).toMatchObject({ kind: 'not_sent', reason: expect.stringContaining('fbclid') });
    const noUrl = conversion();
    noUrl.click = { ...noUrl.click, landingUrl: null };
    expect(await built(noUrl)).toMatchObject({ kind: 'not_sent', reason: expect.stringContaining('event_source_url') });
    expect(await built(noUrl, { ...CONFIG, websiteUrl: 'https://shop.example/' })).toMatchObject({ kind: 'send' });
  });

  it('adds the test event code when set', async () => {
    const result = await built(conversion(), { ...CONFIG, testEventCode: 'TEST123' });
    expect(JSON.parse((result as { request: { body: string } }).request.body)).toMatchObject({ test_event_code: 'TEST123' });
  });

  it('sends a test conversion only with a test event code: without one Meta would count it as a real event', async () => {
    expect(await built(conversion({ isTest: true }))).toEqual({
      kind: 'not_sent',
      reason: 'a test conversion is sent to Meta only with a test event code (setting testEventCode)',
    });
    const withCode = await built(conversion({ isTest: true }), { ...CONFIG, testEventCode: 'TEST123' });
    expect(JSON.parse((withCode as { request: { body: string } }).request.body)).toMatchObject({ test_event_code: 'TEST123' });
  });
});

describe('Meta Conversions API target: reading answers', () => {
  const read = (statusCode: number | null, body: unknown, headers: Record<string, string> = {}) =>
    metaCapiTarget.read(
      { statusCode, headers, body: body === null ? null : JSON.stringify(body), error: statusCode === null ? 'ECONNRESET' : null },
      CONFIG as never,
    );

  it('reads success, rate limits, bad tokens and bad events as Meta documents them', () => {
    // Error codes: https://developers.facebook.com/docs/marketing-api/error-reference
    expect(read(200, { events_received: 1, messages: [], fbtrace_id: 'x' })).toMatchObject({ kind: 'delivered' });
    expect(read(200, { events_received: 0 })).toMatchObject({ kind: 'permanent' });
    expect(read(429, { error: { code: 80004, message: 'too many calls' } }, { 'Retry-After': '120' })).toEqual({
      kind: 'retry',
      reason: 'rate limited (Meta error 80004: too many calls)',
      afterMs: 120_000,
    });
    expect(read(400, { error: { code: 17, message: 'User request limit reached' } })).toMatchObject({ kind: 'retry' });
    expect(read(400, { error: { code: 190, type: 'OAuthException', message: 'Invalid OAuth access token' } })).toMatchObject({
      kind: 'permanent',
      alert: true,
    });
    expect(read(400, { error: { code: 100, message: 'Invalid parameter' } })).toEqual({
      kind: 'permanent',
      reason: 'Meta refused the event (Meta error 100: Invalid parameter)',
    });
    expect(read(503, null)).toMatchObject({ kind: 'retry' });
    expect(read(null, null)).toEqual({ kind: 'retry', reason: 'ECONNRESET' });
  });
});
