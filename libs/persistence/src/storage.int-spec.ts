import { newClickId } from '@postwire/core';
import { migrate, readMigrations } from './migrations/migrator';
import { CampaignRepository } from './repositories/campaign.repository';
import { NetworkRepository } from './repositories/network.repository';
import { OfferRepository } from './repositories/offer.repository';
import { TrafficSourceRepository } from './repositories/traffic-source.repository';
import { ClickRepository } from './repositories/click.repository';
import { DeliveryRepository } from './repositories/delivery.repository';
import { PostbackRecorder, PostbackRefused, type InboundConversion } from './repositories/postback-recorder';
import { TRUNCATED_KEY, UNBOOKED_PARAMS_BUDGET_BYTES } from './repositories/capped-params';
import { PostbackLogRetention } from './repositories/postback-log-retention';
import { Reattributor } from './repositories/reattributor';
import { ReportRepository } from './repositories/report.repository';
import { BOTH_DRIVERS, openTestDatabase, type TestDatabase } from './test-support/databases';

/** Storage guarantees, checked on the embedded PGlite and on a real PostgreSQL server alike. */
describe.each(BOTH_DRIVERS)('storage on %s', (driver) => {
  let db: TestDatabase;
  let networks: NetworkRepository;
  let clicks: ClickRepository;
  let recorder: PostbackRecorder;
  let deliveries: DeliveryRepository;
  let reports: ReportRepository;
  let campaignId: string;
  let networkId: string;
  let offerId: string;

  beforeAll(async () => {
    db = await openTestDatabase(driver);
    networks = new NetworkRepository(db.client);
    clicks = new ClickRepository(db.client);
    recorder = new PostbackRecorder(db.client);
    deliveries = new DeliveryRepository(db.client);
    reports = new ReportRepository(db.client);
    const network = await networks.create({ name: 'N', slug: 'n', adapter: 'generic', adapterConfig: {}, attributionWindowDays: 30 });
    const offer = await new OfferRepository(db.client).create({ name: 'O', networkId: network.id, url: 'https://o.example/?c={click_id}', payout: '1.5' });
    const source = await new TrafficSourceRepository(db.client).create({
      name: 'S',
      postbackUrl: 'https://s.example/pb?e={external_id}&p={payout}&st={status}',
      method: 'GET',
    });
    const campaign = await new CampaignRepository(db.client).create({ name: 'C', trafficSourceId: source.id, offerId: offer.id });
    campaignId = campaign.id;
    networkId = network.id;
    offerId = offer.id;
  }, 60_000);

  afterAll(async () => {
    await db?.drop();
  });

  async function newClick(ageMs = 0): Promise<string> {
    // The id carries the click's time, as for every click the tracker makes (lookups by id rely on it).
    const createdAt = new Date(Date.now() - ageMs);
    const id = newClickId(createdAt.getTime());
    await clicks.insertMany([{ id, campaignId, externalId: 'ext', subs: { sub1: 'a' }, createdAt }]);
    return id;
  }

  const postback = (clickId: string, extra: Partial<InboundConversion> = {}): InboundConversion => ({
    channel: 's2s',
    clickId,
    params: { click_id: clickId },
    receivedAt: new Date(),
    ...extra,
  });

  it('migrates once: a second run applies nothing', async () => {
    expect(await migrate(db.client)).toEqual([]);
    const { rows } = await db.client.query<{ n: number }>('SELECT count(*)::int AS n FROM schema_migrations');
    expect(rows[0].n).toBe(readMigrations().length);
  });

  it('stores money exactly', async () => {
    const clickId = await newClick();
    const result = await recorder.record(postback(clickId, { payout: '0.1', revenue: '1234567.123456' }));
    const [conversion] = await reports.listConversions({ conversionId: result.conversionId });
    expect(conversion.payout).toBe('0.100000');
    expect(conversion.revenue).toBe('1234567.123456');
  });

  it('creates one conversion and one delivery, then answers duplicate', async () => {
    const clickId = await newClick();
    const first = await recorder.record(postback(clickId, { txid: 'tx-dup' }));
    expect(first.outcome).toBe('accepted');
    expect(first.deliveryIds).toHaveLength(1);
    const second = await recorder.record(postback(clickId, { txid: 'tx-dup' }));
    expect(second).toMatchObject({ outcome: 'duplicate', conversionId: first.conversionId, deliveryIds: [] });
    const delivery = await deliveries.get(first.deliveryIds[0]);
    expect(delivery?.url).toBe('https://s.example/pb?e=ext&p=1.5&st=approved');
  });

  it('settles 50 identical postbacks fired at once into one conversion and one delivery', async () => {
    const clickId = await newClick();
    const results = await Promise.all(Array.from({ length: 50 }, () => recorder.record(postback(clickId, { txid: 'race-1', payout: '3' }))));
    expect(results.filter((r) => r.outcome === 'accepted')).toHaveLength(1);
    expect(results.filter((r) => r.outcome === 'duplicate')).toHaveLength(49);
    expect(new Set(results.map((r) => r.conversionId)).size).toBe(1);
    expect(await reports.listConversions({ clickId })).toHaveLength(1);
    expect(await deliveries.list({ clickId })).toHaveLength(1);
  });

  it('records status moves with history and forwards each allowed one', async () => {
    const clickId = await newClick();
    const created = await recorder.record(postback(clickId, { status: 'pending', payout: '5' }));
    const approved = await recorder.record(postback(clickId, { status: 'approved', payout: '6' }));
    expect(approved).toMatchObject({ outcome: 'updated', conversionId: created.conversionId });
    expect(approved.deliveryIds).toHaveLength(1);
    const back = await recorder.record(postback(clickId, { status: 'pending' }));
    expect(back.outcome).toBe('ignored');
    expect(back.reason).toMatch(/approved->pending/);
    const refunded = await recorder.record(postback(clickId, { status: 'refunded' }));
    expect(refunded.outcome).toBe('updated');
    const conversion = await reports.getConversion(created.conversionId!);
    expect(conversion?.status).toBe('refunded');
    expect(conversion?.history.map((h) => (h as { to: string }).to)).toEqual(['pending', 'approved', 'refunded']);
    expect(conversion?.history[1]).toMatchObject({ from: 'pending', payoutBefore: '5.000000', payoutAfter: '6.000000' });
    expect((await deliveries.list({ clickId })).map((d) => d.revision).sort()).toEqual([1, 2, 3]);
  });

  it('rejects a postback for a click older than the attribution window', async () => {
    const clickId = await newClick(31 * 24 * 3600 * 1000);
    const result = await recorder.record(postback(clickId));
    expect(result).toMatchObject({ outcome: 'rejected', reason: 'outside_window' });
    expect(await reports.listConversions({ clickId })).toHaveLength(0);
  });

  it('rejects a postback from another network than the click’s offer', async () => {
    const other = await networks.create({ name: 'Other', slug: `other-${driver}`, adapter: 'generic', adapterConfig: {} });
    const clickId = await newClick();
    expect((await recorder.record(postback(clickId, { networkId: other.id }))).reason).toBe('network_mismatch');
    expect((await recorder.record(postback(clickId, { networkId }))).outcome).toBe('accepted');
  });

  it('allows many conversions per click for a goal set so, told apart by txid', async () => {
    await db.client.query('INSERT INTO offer_goals (offer_id, goal, many_per_click) VALUES ($1, $2, true)', [offerId, 'rebill']);
    const clickId = await newClick();
    const a = await recorder.record(postback(clickId, { goal: 'rebill', txid: 'r1' }));
    const b = await recorder.record(postback(clickId, { goal: 'rebill', txid: 'r2' }));
    const again = await recorder.record(postback(clickId, { goal: 'rebill', txid: 'r2' }));
    expect([a.outcome, b.outcome, again.outcome]).toEqual(['accepted', 'accepted', 'duplicate']);
    await expect(recorder.record(postback(clickId, { goal: 'rebill' }))).rejects.toBeInstanceOf(PostbackRefused);
    // The default goal stays one per click.
    const first = await recorder.record(postback(clickId, { txid: 'main-1' }));
    const second = await recorder.record(postback(clickId, { txid: 'main-2' }));
    expect(first.outcome).toBe('accepted');
    expect(second.outcome).toBe('ignored');
  });

  it('logs unknown clicks as unattributed', async () => {
    const result = await recorder.record(postback('unknownclick'));
    expect(result.outcome).toBe('unattributed');
    const log = await reports.listPostbacks({ clickId: 'unknownclick' });
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ outcome: 'unattributed', params: { click_id: 'unknownclick' } });
  });

  it('caps the raw parameters an unknown-click postback stores, keeping its parsed fields whole', async () => {
    const params: Record<string, string> = { click_id: 'bloatedclick' };
    for (let i = 0; i < 200; i++) params[`junk${i}`] = 'x'.repeat(100);
    await recorder.record(postback('bloatedclick', { params, txid: 'T-1', payout: '2.50' }));
    const { rows } = await db.client.query<{ size: number; params: Record<string, unknown>; canonical: { txid?: string; payout?: string } }>(
      `SELECT octet_length(params::text) AS size, params, canonical FROM postbacks WHERE click_id = 'bloatedclick'`,
    );
    expect(rows).toHaveLength(1);
    expect(rows[0].size).toBeLessThanOrEqual(UNBOOKED_PARAMS_BUDGET_BYTES);
    expect(rows[0].params).toMatchObject({ click_id: 'bloatedclick', [TRUNCATED_KEY]: expect.stringMatching(/ of 201 parameters left out$/) });
    expect(rows[0].canonical).toMatchObject({ txid: 'T-1', payout: '2.50' });
  });

  it('deletes unattributed and rejected log rows past the retention, and keeps everything else', async () => {
    const day = 24 * 3600 * 1000;
    const old = new Date(Date.now() - 40 * day);
    await recorder.record(postback('expiredunknown', { receivedAt: old }));
    await recorder.record(postback('expiredpixel', { receivedAt: old, channel: 'pixel' }));
    await recorder.record(postback('freshunknown'));
    const oldClick = await newClick(45 * day);
    expect((await recorder.record(postback(oldClick, { receivedAt: old }))).outcome).toBe('accepted');
    const oldRejected = await newClick(45 * day);
    const other = await networks.create({ name: 'Other2', slug: `other2-${driver}`, adapter: 'generic', adapterConfig: {} });
    expect((await recorder.record(postback(oldRejected, { receivedAt: old, networkId: other.id }))).outcome).toBe('rejected');

    const deleted = await new PostbackLogRetention(db.client).deleteExpired(new Date(Date.now() - 30 * day));
    expect(deleted).toBe(3);
    const { rows } = await db.client.query<{ click_id: string }>(`SELECT click_id FROM postbacks WHERE click_id = ANY($1) ORDER BY click_id`, [
      ['expiredunknown', 'expiredpixel', 'freshunknown', oldClick, oldRejected],
    ]);
    expect(rows.map((r) => r.click_id).sort()).toEqual(['freshunknown', oldClick].sort());
  });

  it('attributes a postback that arrived before its click once the click is written', async () => {
    const clickId = newClickId();
    const early = await recorder.record(postback(clickId, { txid: 'early-1', payout: '4' }));
    expect(early.outcome).toBe('unattributed');
    const reattributor = new Reattributor(db.client);
    expect((await reattributor.run()).attempted).toBe(0);
    await clicks.insertMany([{ id: clickId, campaignId, externalId: 'late', subs: {}, createdAt: new Date() }]);
    const run = await reattributor.run();
    expect(run.results.map((r) => r.outcome)).toEqual(['accepted']);
    expect(run.results[0].deliveryIds).toHaveLength(1);
    const [conversion] = await reports.listConversions({ clickId });
    expect(conversion).toMatchObject({ txid: 'early-1', payout: '4.000000' });
    const original = (await reports.listPostbacks({ clickId })).find((p) => p.id === early.postbackId);
    expect(original).toMatchObject({ outcome: 'unattributed', conversionId: conversion.id });
    expect((await reattributor.run()).attempted).toBe(0);
  });

  it('leaves a postback unattributed when its late click is outside the window', async () => {
    const clickAt = new Date(Date.now() - 40 * 24 * 3600 * 1000);
    const clickId = newClickId(clickAt.getTime());
    await recorder.record(postback(clickId, { receivedAt: new Date() }));
    await clicks.insertMany([{ id: clickId, campaignId, subs: {}, createdAt: clickAt }]);
    const run = await new Reattributor(db.client).run();
    expect(run.results.map((r) => [r.outcome, r.reason])).toEqual([['rejected', 'outside_window']]);
    expect(await reports.listConversions({ clickId })).toHaveLength(0);
  });

  it('schedules, retries and finishes deliveries through the attempt log', async () => {
    const clickId = await newClick();
    const { deliveryIds } = await recorder.record(postback(clickId));
    const id = deliveryIds[0];
    expect((await deliveries.listOverdue(new Date(Date.now() + 60_000), 0, 1000)).map((d) => d.id)).toContain(id);
    await deliveries.recordAttempt(
      id,
      { url: 'u', statusCode: 500, latencyMs: 3, responseSnippet: 'no', error: 'HTTP 500' },
      { status: 'pending', nextAttemptAt: new Date(Date.now() + 3_600_000) },
    );
    expect((await deliveries.listOverdue(new Date(), 0, 1000)).map((d) => d.id)).not.toContain(id);
    await deliveries.recordAttempt(id, { url: 'u', statusCode: 204, latencyMs: 2, responseSnippet: '', error: null }, { status: 'delivered' });
    const done = await deliveries.get(id);
    expect(done).toMatchObject({ status: 'delivered', attempts: 2, lastStatusCode: 204 });
    expect(done?.deliveredAt).toBeInstanceOf(Date);
    expect((await deliveries.attempts(id)).map((a) => a.statusCode)).toEqual([500, 204]);
  });
});
