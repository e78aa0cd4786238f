import { newClickId, renderDelivery } from '@postwire/core';
import {
  CampaignRepository,
  ClickRepository,
  DeliveryRepository,
  NetworkRepository,
  OfferRepository,
  PostbackRecorder,
  PostgresClient,
  TrafficSourceRepository,
  type InboundConversion,
} from '@postwire/persistence';
import { newWebhookSecret, SecretBox, verifyWebhook } from '@postwire/security';
import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { BOTH_DRIVERS, openTestDatabase, type TestDatabase } from '../../persistence/src/test-support/databases';
import { Receiver } from '../../../test/support/receiver';
import { DeliveryProcessor, requestTarget, type AttemptObservation } from './delivery-processor';
import { HttpSender } from './http-sender';

/**
 * Forwarding against real storage (PGlite and PostgreSQL) and a real HTTP receiver: what one
 * attempt does to the outbox, the attempt log and the source's health, and what goes on the wire.
 */
describe.each(BOTH_DRIVERS)('forwarding on %s', (driver) => {
  let db: TestDatabase;
  let receiver: Receiver;
  let sources: TrafficSourceRepository;
  let deliveries: DeliveryRepository;
  let recorder: PostbackRecorder;
  let clicks: ClickRepository;
  let offerId: string;
  let networkId: string;
  const box = SecretBox.fromEnv(randomBytes(32).toString('hex'));
  const observed: AttemptObservation[] = [];
  let sender: HttpSender;
  let processor: DeliveryProcessor;

  beforeAll(async () => {
    db = await openTestDatabase(driver);
    receiver = await Receiver.start();
    sources = new TrafficSourceRepository(db.client);
    deliveries = new DeliveryRepository(db.client);
    recorder = new PostbackRecorder(db.client);
    clicks = new ClickRepository(db.client);
    const network = await new NetworkRepository(db.client).create({ name: 'N', slug: 'n', adapter: 'generic', adapterConfig: {}, attributionWindowDays: 30 });
    networkId = network.id;
    offerId = (await new OfferRepository(db.client).create({ name: 'O', networkId, url: 'https://o.example/?c={click_id}', payout: '2.5' })).id;
    sender = new HttpSender({ timeoutMs: 2000 });
    processor = new DeliveryProcessor(deliveries, sender, {
      scheduleMs: [0, 100, 100],
      timeoutMs: 2000,
      openSecret: (s) => box.open(s),
      onAttempt: (o) => observed.push(o),
    });
  }, 60_000);

  afterAll(async () => {
    await sender?.close();
    await receiver?.close();
    await db?.drop();
  });

  beforeEach(() => {
    receiver.requests.length = 0;
    receiver.respondWith(() => ({ status: 200, body: 'ok' }));
    observed.length = 0;
  });

  /** A source with these settings, a campaign, a click, and the conversion postback for it. */
  async function convert(settings: Parameters<TrafficSourceRepository['create']>[0], postback: Partial<InboundConversion> = {}) {
    const source = await sources.create(settings);
    const campaign = await new CampaignRepository(db.client).create({ name: 'C', trafficSourceId: source.id, offerId });
    const clickId = newClickId();
    await clicks.insertMany([{ id: clickId, campaignId: campaign.id, externalId: 'ext-1', subs: { sub1: 'banner' }, createdAt: new Date() }]);
    const result = await recorder.record({ channel: 's2s', clickId, params: {}, receivedAt: new Date(), ...postback });
    return { source, clickId, result, deliveryId: result.deliveryIds[0] };
  }

  const url = (path = '/pb') => `${receiver.url}${path}?ext={external_id}&payout={payout}&status={status}&key=S3CR3T`;

  it('renders the delivery with the source settings when it is written', async () => {
    const { deliveryId } = await convert({
      name: 'S',
      postbackUrl: url(),
      method: 'POST',
      bodyFormat: 'form',
      headers: { 'x-source-account': 'acct-9' },
      payoutShare: { type: 'percent', value: '40' },
    });
    const delivery = await deliveries.get(deliveryId);
    expect(delivery).toMatchObject({
      method: 'POST',
      status: 'pending',
      roundAttempts: 0,
      headers: { 'x-source-account': 'acct-9', 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(new URL(delivery!.url).searchParams.get('payout')).toBe('1');
    expect(new URLSearchParams(delivery!.body!).get('payout')).toBe('1');
  });

  it('writes no delivery for goals and statuses the source does not take', async () => {
    const settings = { name: 'S', postbackUrl: url(), goals: ['deposit'], statuses: ['approved' as const] };
    expect((await convert(settings, { goal: 'registration' })).result.deliveryIds).toEqual([]);
    expect((await convert(settings, { goal: 'deposit', status: 'pending' })).result.deliveryIds).toEqual([]);
    const { result } = await convert(settings, { goal: 'deposit', status: 'approved' });
    expect(result).toMatchObject({ outcome: 'accepted' });
    expect(result.deliveryIds).toHaveLength(1);
  });

  it('sends, logs the attempt with secrets masked, and counts it', async () => {
    const { deliveryId, source } = await convert({ name: 'S', postbackUrl: url(), headers: { 'x-source-account': 'acct-9' } });
    expect(await processor.process(deliveryId)).toEqual({ kind: 'delivered' });
    const [hit] = receiver.requests;
    expect(hit.query.get('key')).toBe('S3CR3T');
    expect(hit.headers['idempotency-key']).toBe(deliveryId);
    expect(hit.headers['x-source-account']).toBe('acct-9');
    expect(hit.headers['user-agent']).toMatch(/^Postwire/);
    expect(hit.headers['webhook-signature']).toBeUndefined();
    const [attempt] = await deliveries.attempts(deliveryId);
    expect(attempt).toMatchObject({ statusCode: 200, responseSnippet: 'ok', error: null });
    expect(attempt.url).toContain('key=***');
    expect(attempt.url).not.toContain('S3CR3T');
    expect(await deliveries.get(deliveryId)).toMatchObject({ status: 'delivered', attempts: 1, roundAttempts: 1 });
    expect(observed).toEqual([{ outcome: 'delivered', statusCode: 200, latencyMs: expect.any(Number) }]);
    expect((await sources.get(source.id))?.failingSince).toBeNull();
    expect(await processor.process(deliveryId)).toEqual({ kind: 'skipped', reason: 'already delivered' });
    expect(receiver.requests).toHaveLength(1);
  });

  it('signs with every active secret, over the body for POST and the request target for GET', async () => {
    const { source, deliveryId } = await convert({ name: 'S', postbackUrl: url(), method: 'POST' });
    const [oldSecret, newSecret] = [newWebhookSecret(), newWebhookSecret()];
    await sources.addSigningSecret(source.id, box.seal(oldSecret));
    const revoked = await sources.addSigningSecret(source.id, box.seal(newWebhookSecret()));
    await sources.revokeSigningSecret(source.id, revoked.id);
    await sources.addSigningSecret(source.id, box.seal(newSecret));
    await processor.process(deliveryId);
    const [post] = receiver.requests;
    expect(post.headers['webhook-id']).toBe(deliveryId);
    expect(String(post.headers['webhook-signature']).split(' ')).toHaveLength(2);
    for (const secret of [oldSecret, newSecret]) {
      expect(verifyWebhook({ headers: post.headers, rawBody: post.body, secrets: [secret] }).ok).toBe(true);
      expect(new Webhook(secret).verify(post.body, post.headers as Record<string, string>)).toMatchObject({ payout: '2.5', status: 'approved' });
    }

    const get = await convert({ name: 'S', postbackUrl: url('/get path/ü') });
    await sources.addSigningSecret(get.source.id, box.seal(newSecret));
    await processor.process(get.deliveryId);
    const hit = receiver.requests[1];
    expect(hit.url).toBe(requestTarget((await deliveries.get(get.deliveryId))!.url));
    expect(verifyWebhook({ headers: hit.headers, rawBody: hit.url, secrets: [newSecret] }).ok).toBe(true);
    expect(verifyWebhook({ headers: hit.headers, rawBody: hit.url.replace('payout=2.5', 'payout=25'), secrets: [newSecret] }).ok).toBe(false);
  });

  it('does not send unsigned when a secret cannot be opened', async () => {
    const { source, deliveryId } = await convert({ name: 'S', postbackUrl: url() });
    await sources.addSigningSecret(source.id, SecretBox.fromEnv(randomBytes(32).toString('hex')).seal(newWebhookSecret()));
    expect(await processor.process(deliveryId)).toMatchObject({ kind: 'retry' });
    expect(receiver.requests).toHaveLength(0);
    expect((await deliveries.attempts(deliveryId))[0].error).toMatch(/not sent: cannot open the signing secret/);
  });

  it('retries on its own schedule, then gives up; a source is failing after N failed attempts in a row', async () => {
    receiver.respondWith(() => ({ status: 500, body: 'boom' }));
    const { source, deliveryId } = await convert({ name: 'S', postbackUrl: url(), retryScheduleMs: [0, 50], timeoutMs: 1000 });
    expect(await processor.process(deliveryId)).toMatchObject({ kind: 'retry' });
    const failing = await sources.get(source.id);
    expect(failing?.failingSince).toBeInstanceOf(Date);
    expect(failing?.failing).toBe(false);
    expect(await processor.process(deliveryId)).toMatchObject({ kind: 'dead', reason: 'gave up after 2 attempts' });
    expect(await deliveries.get(deliveryId)).toMatchObject({ status: 'dead', attempts: 2, lastStatusCode: 500 });
    expect((await sources.get(source.id))?.deadDeliveries).toBe(1);
    expect(observed.map((o) => o.outcome)).toEqual(['retry', 'dead']);

    // Two failures in a row: failing at a threshold of 2, not at the default 5.
    expect(await sources.get(source.id)).toMatchObject({ failing: false, health: { consecutiveFailures: 2, recentAttempts: 2, recentFailures: 2 } });
    const strict = { consecutiveFailures: 2, failureRatio: 1, minAttempts: 100 };
    expect(await new TrafficSourceRepository(db.client, strict).get(source.id)).toMatchObject({ failing: true, failingReason: 'consecutive_failures' });
    expect((await deliveries.metricsSnapshot(strict)).failingSources).toContain(source.id);
    expect((await deliveries.metricsSnapshot()).failingSources).not.toContain(source.id);

    // A re-send starts a new round and, on success, clears the flag.
    receiver.respondWith(() => ({ status: 204 }));
    const [candidate] = await deliveries.findForResend({ ids: [deliveryId] }, 1);
    await deliveries.resend([{ id: deliveryId, rendered: renderDelivery({ ...source, postbackUrl: url('/fixed') }, candidate.macroValues!) }]);
    expect(await deliveries.get(deliveryId)).toMatchObject({ status: 'pending', roundAttempts: 0, attempts: 2 });
    expect(await processor.process(deliveryId)).toEqual({ kind: 'delivered' });
    expect(receiver.requests.at(-1)?.url.startsWith('/fixed?')).toBe(true);
    expect(await sources.get(source.id)).toMatchObject({
      failing: false,
      failingSince: null,
      health: { consecutiveFailures: 0, recentAttempts: 3, recentFailures: 2 },
    });
    expect(await new TrafficSourceRepository(db.client, strict).get(source.id)).toMatchObject({ failing: false, failingReason: null });
    expect((await deliveries.attempts(deliveryId)).map((a) => a.statusCode)).toEqual([500, 500, 204]);
  });

  it('lets only one of two simultaneous jobs send a delivery', async () => {
    receiver.respondWith(() => ({ status: 200, delayMs: 300 }));
    const { deliveryId } = await convert({ name: 'S', postbackUrl: url() });
    const [a, b] = await Promise.all([processor.process(deliveryId), processor.process(deliveryId)]);
    expect([a.kind, b.kind].sort()).toEqual(['delivered', 'retry']);
    expect(receiver.requests).toHaveLength(1);
  });

  it('holds off a second claim at once although the claim does not wait for a disk flush, and leaves the connection as it was', async () => {
    const { deliveryId } = await convert({ name: 'S', postbackUrl: url() });
    // One connection, so that the SHOW below runs where the claim ran (PGlite is one connection anyway).
    const one = db.url ? new PostgresClient({ connectionString: db.url, max: 1 }) : db.client;
    try {
      const first = new DeliveryRepository(one);
      expect((await first.claimMany([deliveryId], 2000, 2000))[0].kind).toBe('claimed');
      expect((await deliveries.claimMany([deliveryId], 2000, 2000))[0]).toMatchObject({ kind: 'busy' });
      expect((await one.query<{ synchronous_commit: string }>('SHOW synchronous_commit')).rows[0].synchronous_commit).toBe('on');
    } finally {
      if (one !== db.client) await one.close();
    }
  });

  it('claims and logs deliveries due together in shared statements, each sent once', async () => {
    const source = await sources.create({ name: 'S', postbackUrl: url() });
    const campaign = await new CampaignRepository(db.client).create({ name: 'C', trafficSourceId: source.id, offerId });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const clickId = newClickId();
      await clicks.insertMany([{ id: clickId, campaignId: campaign.id, externalId: `ext-${i}`, subs: {}, createdAt: new Date() }]);
      ids.push((await recorder.record({ channel: 's2s', clickId, params: {}, receivedAt: new Date() })).deliveryIds[0]);
    }
    const calls: string[] = [];
    const counted = {
      claimMany: (...args: Parameters<DeliveryRepository['claimMany']>) => (calls.push(`claim ${args[0].length}`), deliveries.claimMany(...args)),
      recordAttempts: (items: Parameters<DeliveryRepository['recordAttempts']>[0]) => (calls.push(`log ${items.length}`), deliveries.recordAttempts(items)),
      markDead: (id: string, reason: string) => deliveries.markDead(id, reason),
    };
    receiver.respondWith((req) => (req.query.get('ext') === 'ext-2' ? { status: 503 } : { status: 200 }));
    const batched = new DeliveryProcessor(counted, sender, { scheduleMs: [0, 60_000], timeoutMs: 2000, openSecret: (s) => box.open(s) });
    const results = await Promise.all([...ids, ids[0]].map((id) => batched.process(id)));
    expect(calls[0]).toBe('claim 6');
    expect(calls.filter((c) => c.startsWith('log')).reduce((n, c) => n + Number(c.split(' ')[1]), 0)).toBe(5);
    expect(results.map((r) => r.kind)).toEqual(['delivered', 'delivered', 'retry', 'delivered', 'delivered', 'retry']);
    expect(receiver.requests.map((r) => r.headers['idempotency-key']).sort()).toEqual([...ids].sort());
    for (const [i, id] of ids.entries()) {
      expect(await deliveries.get(id)).toMatchObject({ status: i === 2 ? 'pending' : 'delivered', attempts: 1, lastStatusCode: i === 2 ? 503 : 200 });
      expect(await deliveries.attempts(id)).toHaveLength(1);
    }
  });

  it('moves a source’s failing flag by the last attempt of a batch', async () => {
    const { source, deliveryId: a } = await convert({ name: 'S', postbackUrl: url() });
    const { deliveryId: b } = await convert({ name: 'T', postbackUrl: url() });
    await db.client.query(`UPDATE deliveries SET traffic_source_id = $1 WHERE id = $2`, [source.id, b]);
    const ok = { url: 'u', statusCode: 200, latencyMs: 1, responseSnippet: '', error: null };
    const bad = { url: 'u', statusCode: 500, latencyMs: 1, responseSnippet: '', error: 'HTTP 500' };
    const later = { status: 'pending' as const, nextAttemptAt: new Date(Date.now() + 60_000) };
    await deliveries.recordAttempts([
      { id: a, attempt: ok, next: { status: 'delivered' } },
      { id: b, attempt: bad, next: later },
    ]);
    expect((await sources.get(source.id))?.failingSince).toBeInstanceOf(Date);
    await deliveries.recordAttempts([
      { id: b, attempt: bad, next: later },
      { id: a, attempt: ok, next: { status: 'delivered' } },
    ]);
    expect((await sources.get(source.id))?.failingSince).toBeNull();
    expect((await sources.get(source.id))?.health).toEqual({ consecutiveFailures: 0, recentAttempts: 4, recentFailures: 2 });
    expect(await deliveries.attempts(b)).toHaveLength(2);
    expect(await deliveries.get(b)).toMatchObject({ status: 'pending', attempts: 2, lastStatusCode: 500 });
    // Failures after the batch's last success start the run anew; a batch of failures only adds to it.
    await deliveries.recordAttempts([
      { id: a, attempt: ok, next: { status: 'delivered' } },
      { id: b, attempt: bad, next: later },
    ]);
    expect((await sources.get(source.id))?.health).toMatchObject({ consecutiveFailures: 1 });
    await deliveries.recordAttempts([{ id: b, attempt: bad, next: later }]);
    expect((await sources.get(source.id))?.health).toEqual({ consecutiveFailures: 2, recentAttempts: 7, recentFailures: 4 });
    const ratioOnly = { consecutiveFailures: 100, failureRatio: 0.5, minAttempts: 7 };
    expect(await new TrafficSourceRepository(db.client, ratioOnly).get(source.id)).toMatchObject({ failing: true, failingReason: 'failure_ratio' });
    // The ratio reads only the last 15 minutes: older minutes no longer count, and the source recovers by itself.
    await db.client.query(`UPDATE traffic_source_attempt_minutes SET minute = minute - interval '20 minutes' WHERE traffic_source_id = $1`, [source.id]);
    expect(await new TrafficSourceRepository(db.client, ratioOnly).get(source.id)).toMatchObject({ failing: false, health: { recentAttempts: 0 } });
  });

  it('ends the pending deliveries of a disabled source without sending them', async () => {
    const { source, deliveryId } = await convert({ name: 'S', postbackUrl: url() });
    await sources.update(source.id, { enabled: false });
    expect(await processor.process(deliveryId)).toEqual({ kind: 'dead', reason: 'traffic source is disabled' });
    expect(receiver.requests).toHaveLength(0);
    expect(await deliveries.get(deliveryId)).toMatchObject({ status: 'dead', attempts: 0, lastError: 'traffic source is disabled' });
  });

  it('finds a source’s deliveries in a time range for a replay', async () => {
    const { source, deliveryId } = await convert({ name: 'S', postbackUrl: url() });
    const now = Date.now();
    const range = { trafficSourceId: source.id, from: new Date(now - 60_000), to: new Date(now + 60_000) };
    expect((await deliveries.findForResend(range, 10)).map((c) => c.id)).toEqual([deliveryId]);
    expect(await deliveries.findForResend({ ...range, status: 'dead' }, 10)).toEqual([]);
    expect(await deliveries.findForResend({ ...range, to: new Date(now - 30_000) }, 10)).toEqual([]);
  });

  it('keeps settings through update and clears them with null', async () => {
    const source = await sources.create({
      name: 'S',
      postbackUrl: url(),
      goals: [''],
      statuses: ['approved', 'refunded'],
      payoutShare: { type: 'fixed', value: '1.50', currency: 'EUR' },
      timeoutMs: 3000,
    });
    expect(source).toMatchObject({
      method: 'GET',
      bodyFormat: 'json',
      enabled: true,
      goals: [''],
      statuses: ['approved', 'refunded'],
      payoutShare: { type: 'fixed', value: '1.5', currency: 'EUR' },
      timeoutMs: 3000,
      retryScheduleMs: null,
      signingSecrets: 0,
    });
    const updated = await sources.update(source.id, { payoutShare: null, goals: null, statuses: [], retryScheduleMs: [0, 1000], name: 'S2' });
    expect(updated).toMatchObject({ name: 'S2', payoutShare: null, goals: null, statuses: [], retryScheduleMs: [0, 1000], timeoutMs: 3000 });
    expect(updated!.updatedAt.getTime()).toBeGreaterThanOrEqual(source.updatedAt.getTime());
    expect(await sources.update('00000000-0000-4000-8000-000000000000', { name: 'x' })).toBeUndefined();
  });
});
