import { newClickId } from '@postwire/core';
import { DeliveryProcessor, HttpSender } from '@postwire/forwarding';
import {
  AlertRepository,
  CampaignRepository,
  ClickRepository,
  DeliveryRepository,
  ForwardingTargetRepository,
  NetworkRepository,
  OfferRepository,
  PostbackRecorder,
  TrafficSourceRepository,
  type StoredMappingRule,
} from '@postwire/persistence';
import { hashPersonalData } from '@postwire/plugin-sdk';
import { SecretBox } from '@postwire/security';
import { randomBytes } from 'node:crypto';
import { BOTH_DRIVERS, openTestDatabase, type TestDatabase } from '../../../persistence/src/test-support/databases';
import { Receiver, type ReceivedRequest } from '../../../../test/support/receiver';
import { metaRequestProblems } from '../../../../plugins/meta-capi/meta-request-rules';
import { PluginRegistry } from './plugin-registry';
import { TargetRuntime } from './target-runtime';

/**
 * The Meta Conversions API target end to end below the HTTP API: a click with an fbclid, a postback with an
 * email, the real recorder and processor on both drivers, and a fake Meta on loopback that checks every request
 * against the rules written from Meta's docs (plugins/meta-capi/meta-request-rules.ts cites the pages) and
 * answers as Meta does: success, an event refused, a rate limit with Retry-After, a revoked token.
 */
describe.each(BOTH_DRIVERS)('Meta target deliveries on %s', (driver) => {
  let db: TestDatabase;
  let meta: Receiver;
  let sender: HttpSender;
  let processor: DeliveryProcessor;
  let recorder: PostbackRecorder;
  let offerId: string;
  const box = SecretBox.fromEnv(randomBytes(32).toString('hex'));
  const problems: string[][] = [];

  beforeAll(async () => {
    db = await openTestDatabase(driver);
    meta = await Receiver.start();
    recorder = new PostbackRecorder(db.client);
    const network = await new NetworkRepository(db.client).create({ name: 'N', slug: 'n', adapter: 'generic', adapterConfig: {}, attributionWindowDays: 30 });
    offerId = (await new OfferRepository(db.client).create({ name: 'O', networkId: network.id, url: 'https://o.example/?c={click_id}', payout: '2.5' })).id;
    sender = new HttpSender({ timeoutMs: 2000 });
    const runtime = new TargetRuntime(
      PluginRegistry.load(),
      new ForwardingTargetRepository(db.client),
      (s) => box.open(s),
      () => {
        throw new Error('no side calls');
      },
    );
    processor = new DeliveryProcessor(new DeliveryRepository(db.client), sender, {
      scheduleMs: [0, 1000, 1000],
      timeoutMs: 2000,
      openSecret: (s) => box.open(s),
      targets: runtime,
    });
  }, 60_000);

  afterAll(async () => {
    await sender?.close();
    await meta?.close();
    await db?.drop();
  });

  /** Answers as Meta would, after checking the request against Meta's documented rules. */
  function metaAnswers(answer: (req: ReceivedRequest) => { status: number; body?: string; headers?: Record<string, string> }) {
    problems.length = 0;
    meta.requests.length = 0;
    meta.respondWith((req) => {
      const path = new URL(req.url, 'http://meta').pathname;
      const found = metaRequestProblems({ method: req.method, path, authorization: req.headers.authorization, body: req.body }, Date.now());
      problems.push(found);
      if (found.length) return { status: 400, body: JSON.stringify({ error: { code: 100, message: found.join('; ') } }) };
      return answer(req);
    });
  }

  /** A Meta-target source, a click through its campaign carrying an fbclid, and a postback with the buyer's email. */
  async function conversion(
    mapping: StoredMappingRule[] = [],
    status: 'approved' | 'declined' | 'pending' = 'approved',
    adIds: Record<string, string> | undefined = { fbclid: 'IwAR2F4-dbP0' },
  ) {
    const sources = new TrafficSourceRepository(db.client);
    const source = await sources.create({ name: `Meta ${randomBytes(3).toString('hex')}`, postbackUrl: 'https://unused.example/pb' });
    await new ForwardingTargetRepository(db.client).setSourceTarget(source.id, {
      targetId: 'meta-capi',
      config: { pixelId: '1234567890', accessToken: box.seal('EAAB-token'), apiBaseUrl: meta.url, websiteUrl: 'https://shop.example/' },
      mapping,
    });
    const campaign = await new CampaignRepository(db.client).create({ name: 'C', trafficSourceId: source.id, offerId });
    const clickId = newClickId();
    await new ClickRepository(db.client).insertMany([
      { id: clickId, campaignId: campaign.id, subs: {}, ip: '203.0.113.7', userAgent: 'Mozilla/5.0 (int)', createdAt: new Date(), adIds },
    ]);
    const personalHashes = hashPersonalData({ email: 'Buyer@Example.com', phone: '+49 30 1234567' });
    const result = await recorder.record({ channel: 's2s', clickId, params: {}, receivedAt: new Date(), status, payout: '12.5', personalHashes });
    return { source, clickId, deliveryId: result.deliveryIds[0] };
  }

  const row = async (id: string) =>
    (
      await db.client.query<Record<string, unknown>>(
        `SELECT d.status, d.target_id, d.target_event, d.alert, d.body, d.url, d.next_attempt_at, d.last_error,
                (SELECT a.error FROM delivery_attempts a WHERE a.delivery_id = d.id ORDER BY a.id DESC LIMIT 1) AS attempt_error,
                ts.failing_since
         FROM deliveries d JOIN traffic_sources ts ON ts.id = d.traffic_source_id WHERE d.id = $1`,
        [id],
      )
    ).rows[0];

  it('sends a conforming event once, and keeps the request it sent with the email hashed', async () => {
    metaAnswers(() => ({ status: 200, body: JSON.stringify({ events_received: 1, messages: [], fbtrace_id: 'A1' }) }));
    const { deliveryId } = await conversion();
    expect(await processor.process(deliveryId)).toEqual({ kind: 'delivered' });
    expect(await processor.process(deliveryId)).toEqual({ kind: 'skipped', reason: 'already delivered' });
    expect(meta.requests).toHaveLength(1);
    expect(problems).toEqual([[]]);
    const sent = JSON.parse(meta.requests[0].body) as { data: Array<{ event_name: string; user_data: Record<string, unknown> }> };
    expect(sent.data[0].event_name).toBe('Purchase');
    expect(sent.data[0].user_data.em).toEqual([hashPersonalData({ email: 'buyer@example.com' }).email!.lowercase]);
    expect(meta.requests[0].headers.authorization).toBe('Bearer EAAB-token');
    const stored = await row(deliveryId);
    expect(stored).toMatchObject({
      status: 'delivered',
      target_id: 'meta-capi',
      target_event: 'Purchase',
      alert: false,
      url: `${meta.url}/v21.0/1234567890/events`,
    });
    expect(stored.body).toBe(meta.requests[0].body);
    expect(String(stored.body)).not.toMatch(/buyer|example\.com|1234567\b|EAAB/i);
  });

  it('retries a rate-limited event no sooner than Meta’s Retry-After', async () => {
    metaAnswers(() => ({
      status: 429,
      headers: { 'retry-after': '120', 'content-type': 'application/json' },
      body: JSON.stringify({ error: { code: 80004, message: 'too many calls' } }),
    }));
    const { deliveryId } = await conversion();
    const before = Date.now();
    const result = await processor.process(deliveryId);
    expect(result.kind).toBe('retry');
    expect((result as { delayMs: number }).delayMs).toBeGreaterThanOrEqual(120_000);
    const stored = await row(deliveryId);
    expect(stored.status).toBe('pending');
    expect((stored.next_attempt_at as Date).getTime()).toBeGreaterThanOrEqual(before + 119_000);
    expect(stored.attempt_error).toContain('rate limited');
  });

  it('gives up on a refused token at once, with an alert for the operator', async () => {
    metaAnswers(() => ({ status: 400, body: JSON.stringify({ error: { code: 190, type: 'OAuthException', message: 'Error validating access token' } }) }));
    const { deliveryId, source } = await conversion();
    expect((await processor.process(deliveryId)).kind).toBe('dead');
    expect(meta.requests).toHaveLength(1);
    expect(await row(deliveryId)).toMatchObject({ status: 'dead', alert: true, last_error: expect.stringContaining('access token was refused') });
    // The dashboard's alert (and its webhooks) read the flag per source.
    const refused = await new AlertRepository(db.client).refusedTargetCredentials(new Date());
    expect(refused.filter((r) => r.trafficSourceId === source.id)).toEqual([expect.objectContaining({ targetId: 'meta-capi', count: 1 })]);
  });

  it('gives up without an alert when Meta refuses the event itself, or answers without taking it', async () => {
    metaAnswers(() => ({ status: 400, body: JSON.stringify({ error: { code: 100, message: 'Invalid parameter' } }) }));
    const refused = await conversion();
    expect((await processor.process(refused.deliveryId)).kind).toBe('dead');
    expect((await new AlertRepository(db.client).refusedTargetCredentials(new Date())).map((r) => r.trafficSourceId)).not.toContain(refused.source.id);
    expect(await row(refused.deliveryId)).toMatchObject({
      status: 'dead',
      alert: false,
      last_error: 'Meta refused the event (Meta error 100: Invalid parameter)',
    });
    metaAnswers(() => ({ status: 200, body: JSON.stringify({ events_received: 0 }) }));
    const partial = await conversion();
    expect((await processor.process(partial.deliveryId)).kind).toBe('dead');
    expect(await row(partial.deliveryId)).toMatchObject({ status: 'dead', alert: false });
  });

  it('records "not sent" with its reason, sends nothing and leaves the source healthy', async () => {
    metaAnswers(() => ({ status: 200, body: JSON.stringify({ events_received: 1 }) }));
    const declined = await conversion([{ status: 'declined', event: null }], 'declined');
    expect(await processor.process(declined.deliveryId)).toEqual({
      kind: 'not_sent',
      reason: 'the event mapping sends nothing for status "declined" and the default goal',
    });
    const noClickId = await conversion([], 'approved', undefined);
    const personalOnly = await row(noClickId.deliveryId);
    expect(personalOnly.status).toBe('pending');
    // The email digest alone identifies the buyer for Meta: sent even without an fbclid.
    expect(await processor.process(noClickId.deliveryId)).toEqual({ kind: 'delivered' });
    expect(meta.requests).toHaveLength(1);
    expect(await row(declined.deliveryId)).toMatchObject({
      status: 'not_sent',
      target_id: 'meta-capi',
      attempt_error: 'not sent: the event mapping sends nothing for status "declined" and the default goal',
      failing_since: null,
    });
  });

  it('sends a later approval of a pending conversion through the target’s update, with the conversion id as event id', async () => {
    metaAnswers(() => ({ status: 200, body: JSON.stringify({ events_received: 1 }) }));
    const first = await conversion([], 'pending');
    expect(await processor.process(first.deliveryId)).toMatchObject({ kind: 'not_sent' });
    const approved = await recorder.record({ channel: 's2s', clickId: first.clickId, params: {}, receivedAt: new Date(), status: 'approved', payout: '12.5' });
    expect(approved.deliveryIds).toHaveLength(1);
    expect(await processor.process(approved.deliveryIds[0])).toEqual({ kind: 'delivered' });
    expect(meta.requests).toHaveLength(1);
    const event = (JSON.parse(meta.requests[0].body) as { data: Array<{ event_name: string; event_id: string; user_data: Record<string, unknown> }> }).data[0];
    expect(event.event_name).toBe('Purchase');
    expect(event.event_id).toBe(approved.conversionId);
    // The digests stored with the first delivery are not needed again: the click's fbclid identifies the buyer.
    expect(event.user_data.fbc).toMatch(/^fb\.1\.\d{13}\.IwAR2F4-dbP0$/);
  });

  /** A processor whose Meta plugin has a bug: its build, or its reading of the answer, throws. */
  function buggyProcessor(bug: 'build' | 'read'): DeliveryProcessor {
    const registry = PluginRegistry.load();
    const meta = registry.target('meta-capi')!;
    const fail = () => {
      throw new TypeError("Cannot read properties of undefined (reading 'em')");
    };
    const buggy = { ...meta, ...(bug === 'build' ? { build: fail } : { read: fail }) };
    const runtime = new TargetRuntime(
      { target: (id: string) => (id === 'meta-capi' ? buggy : registry.target(id)) },
      new ForwardingTargetRepository(db.client),
      (s) => box.open(s),
      () => {
        throw new Error('no side calls');
      },
    );
    return new DeliveryProcessor(new DeliveryRepository(db.client), sender, {
      scheduleMs: [0, 1000, 1000],
      timeoutMs: 2000,
      openSecret: (s) => box.open(s),
      targets: runtime,
    });
  }

  it('gives up at once, with an alert, when the plugin throws while building: a bug is not retried', async () => {
    metaAnswers(() => ({ status: 200, body: JSON.stringify({ events_received: 1 }) }));
    const { deliveryId } = await conversion();
    expect((await buggyProcessor('build').process(deliveryId)).kind).toBe('dead');
    expect(meta.requests).toHaveLength(0);
    expect(await row(deliveryId)).toMatchObject({ status: 'dead', alert: true, last_error: expect.stringContaining('a bug in the plugin') });
  });

  it('does not send twice when the plugin cannot read an answer: given up with an alert, the request kept', async () => {
    metaAnswers(() => ({ status: 200, body: JSON.stringify({ events_received: 1 }) }));
    const { deliveryId } = await conversion();
    expect((await buggyProcessor('read').process(deliveryId)).kind).toBe('dead');
    expect(meta.requests).toHaveLength(1);
    expect(await row(deliveryId)).toMatchObject({ status: 'dead', alert: true, last_error: expect.stringContaining('could not read the answer') });
  });
});
