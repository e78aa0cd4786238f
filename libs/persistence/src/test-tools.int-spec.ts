import { randomUUID } from 'node:crypto';
import { newClickId } from '@postwire/core';
import { CampaignForwardingRulesRepository } from './repositories/campaign-forwarding-rules.repository';
import { ClickRepository } from './repositories/click.repository';
import { CostRepository } from './repositories/cost.repository';
import { DeliveryRepository } from './repositories/delivery.repository';
import { PostbackRecorder } from './repositories/postback-recorder';
import { ReportRepository } from './repositories/report.repository';
import { StatsRepository } from './repositories/stats.repository';
import { TrafficSourceRepository } from './repositories/traffic-source.repository';
import { BOTH_DRIVERS, openTestDatabase, type TestDatabase } from './test-support/databases';
import { seedCampaign } from './test-support/seed-campaign';

const HOUR = 3_600_000;

/**
 * Test conversions (the console's test postback) never touch real ones, reports or deliveries unless
 * asked; a campaign's forwarding rules reach the deliveries written for it; cost corrections keep
 * their history and convert what was entered.
 */
describe.each(BOTH_DRIVERS)('test tools, campaign rules and cost history on %s', (driver) => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await openTestDatabase(driver);
  }, 60_000);

  afterAll(async () => {
    await db?.drop();
  });

  const statsOf = (campaignId: string) =>
    new StatsRepository(db.client).groups({
      from: new Date(Date.now() - 30 * 86_400_000),
      to: new Date(Date.now() + 86_400_000),
      tz: 'UTC',
      groupBy: ['campaign'],
      filters: { campaign: [campaignId] },
      attributeBy: 'click',
      currency: 'USD',
    });

  it('keeps a test conversion apart: no report, no delivery unless asked, no twin of a real one', async () => {
    const { campaign, source } = await seedCampaign(db.client);
    await db.client.query(`UPDATE traffic_sources SET postback_url = 'https://s.example/pb?p={payout}&s={status}' WHERE id = $1`, [source.id]);
    const clickId = newClickId();
    await new ClickRepository(db.client).insertMany([{ id: clickId, campaignId: campaign.id, subs: {}, createdAt: new Date() }]);
    const recorder = new PostbackRecorder(db.client);
    const deliveries = new DeliveryRepository(db.client);
    const reports = new ReportRepository(db.client);
    const base = { channel: 's2s' as const, clickId, params: {}, status: 'approved' as const, payout: '12.5', receivedAt: new Date() };

    const quiet = await recorder.record({ ...base, txid: 'same', test: { forward: false } });
    expect(quiet).toMatchObject({ outcome: 'accepted', deliveryIds: [] });
    const forwarded = await recorder.record({ ...base, txid: 'other', test: { forward: true } });
    expect(forwarded.deliveryIds).toHaveLength(1);
    expect(await deliveries.list({ conversionId: forwarded.conversionId })).toEqual([
      expect.objectContaining({ isTest: true, url: 'https://s.example/pb?p=12.5&s=approved' }),
    ]);
    const [counted] = await statsOf(campaign.id);
    expect(counted.sums).toMatchObject({ clicks: 1n, approved: 0n, payout: 0n });

    // The real conversion with the test's txid and the same click and goal is a new one, counted and forwarded.
    const real = await recorder.record({ ...base, txid: 'same' });
    expect(real.outcome).toBe('accepted');
    expect(real.conversionId).not.toBe(quiet.conversionId);
    expect(real.deliveryIds).toHaveLength(1);
    const [row] = await statsOf(campaign.id);
    expect(row.sums).toMatchObject({ approved: 1n, payout: 12_500_000n });

    expect((await reports.listConversions({ clickId, test: true })).map((c) => c.id).sort()).toEqual([quiet.conversionId, forwarded.conversionId].sort());
    expect((await reports.listConversions({ clickId, test: false })).map((c) => c.id)).toEqual([real.conversionId]);
    expect((await reports.listPostbacks({ clickId, test: true })).map((p) => p.conversionId).sort()).toEqual(
      [quiet.conversionId, forwarded.conversionId].sort(),
    );
    expect(await deliveries.list({ trafficSourceId: source.id, test: false })).toEqual([
      expect.objectContaining({ conversionId: real.conversionId, isTest: false }),
    ]);

    // A test delivery the source refused is logged as a test, and does not count as the source's dead delivery.
    const attempt = { url: 'https://s.example/pb', statusCode: 500, latencyMs: 3, responseSnippet: 'no', error: 'HTTP 500' };
    const testId = randomUUID();
    await deliveries.recordTest({ id: testId, trafficSourceId: source.id, method: 'GET', url: attempt.url, body: null, headers: {}, macroValues: {}, attempt });
    expect(await deliveries.get(testId)).toMatchObject({ conversionId: null, isTest: true, status: 'dead', attempts: 1, lastStatusCode: 500 });
    expect(await deliveries.attempts(testId)).toEqual([expect.objectContaining({ statusCode: 500, error: 'HTTP 500' })]);
    expect((await new TrafficSourceRepository(db.client).get(source.id))?.deadDeliveries).toBe(0);
  });

  it("applies a campaign's forwarding rules over its source's to the deliveries written for it", async () => {
    const { campaign, source } = await seedCampaign(db.client);
    await db.client.query(
      `UPDATE traffic_sources SET postback_url = 'https://s.example/pb?p={payout}&c={currency}', retry_schedule_ms = '{0,1000}' WHERE id = $1`,
      [source.id],
    );
    const rules = new CampaignForwardingRulesRepository(db.client);
    await rules.put(campaign.id, {
      goals: null,
      statuses: ['approved'],
      payoutShare: { type: 'fixed', value: '1.5', currency: 'EUR' },
      retryScheduleMs: [0, 60_000],
    });
    expect(await rules.get(campaign.id)).toEqual({
      goals: null,
      statuses: ['approved'],
      payoutShare: { type: 'fixed', value: '1.5', currency: 'EUR' },
      retryScheduleMs: [0, 60_000],
    });
    const clicks = [newClickId(), newClickId()];
    await new ClickRepository(db.client).insertMany(clicks.map((id) => ({ id, campaignId: campaign.id, subs: {}, createdAt: new Date() })));
    const recorder = new PostbackRecorder(db.client);
    const pending = await recorder.record({ channel: 's2s', clickId: clicks[0], params: {}, status: 'pending', payout: '9', receivedAt: new Date() });
    expect(pending.deliveryIds).toEqual([]);
    const approved = await recorder.record({ channel: 's2s', clickId: clicks[1], params: {}, status: 'approved', payout: '9', receivedAt: new Date() });
    const deliveries = new DeliveryRepository(db.client);
    expect((await deliveries.get(approved.deliveryIds[0]))?.url).toBe('https://s.example/pb?p=1.5&c=EUR');
    const [claimed] = await deliveries.claimMany(approved.deliveryIds, 1000, 1000);
    expect(claimed).toMatchObject({ kind: 'claimed', delivery: expect.objectContaining({ retryScheduleMs: [0, 60_000] }) });

    // Without the override the source's own rules apply again.
    await rules.put(campaign.id, { goals: null, statuses: null, payoutShare: null, retryScheduleMs: null });
    const third = newClickId();
    await new ClickRepository(db.client).insertMany([{ id: third, campaignId: campaign.id, subs: {}, createdAt: new Date() }]);
    const later = await recorder.record({ channel: 's2s', clickId: third, params: {}, status: 'pending', payout: '9', receivedAt: new Date() });
    expect((await deliveries.get(later.deliveryIds[0]))?.url).toBe('https://s.example/pb?p=9&c=USD');
  });

  it('previews a cost correction, converts a per-click amount in another currency, and keeps who set it', async () => {
    const { campaign } = await seedCampaign(db.client, { costModel: 'cpc', costValue: '0.1' });
    const start = Math.floor((Date.now() - 3 * 86_400_000) / HOUR) * HOUR;
    const ids = [0, 1, 2, 3].map((i) => newClickId(start + i * 60_000));
    await new ClickRepository(db.client).insertMany(
      ids.map((id, i) => ({
        id,
        campaignId: campaign.id,
        subs: {},
        createdAt: new Date(start + i * 60_000),
        enrichment: { country: 'US', deviceType: 'mobile', os: '', browser: '', referrerDomain: null, visitorKey: `v${i}`, cost: '0.1', costMissing: false },
      })),
    );
    const costs = new CostRepository(db.client);
    const range = { from: new Date(start), to: new Date(start + HOUR) };
    expect(await costs.preview(campaign.id, { ...range, amount: { perClick: '0.5' }, currency: 'EUR', setBy: null })).toBe('no_rate');
    await costs.putRates([{ currency: 'EUR', day: new Date(start - 86_400_000).toISOString().slice(0, 10), rate: '1.2' }]);

    const first = await costs.correct(campaign.id, { ...range, amount: { total: '2' }, currency: null, setBy: 'ann@example.com' });
    expect(first).toMatchObject({ clicks: 4, amount: '2', perClick: '0.5', replacedCost: '0.4', setBy: 'ann@example.com' });
    const preview = await costs.preview(campaign.id, { ...range, amount: { perClick: '0.5' }, currency: 'EUR', setBy: null });
    expect(preview).toMatchObject({ clicks: 4, amount: '2.4', perClick: '0.6', rate: '1.2', currentCost: '2' });
    expect(typeof preview === 'object' && preview.replaces.map((c) => c.setBy)).toEqual(['ann@example.com']);
    expect(await costs.listCorrections(campaign.id)).toHaveLength(1);

    await costs.correct(campaign.id, { ...range, amount: { perClick: '0.5' }, currency: 'EUR', setBy: 'API key ops' });
    const history = await costs.listCorrections(campaign.id);
    expect(history.map((c) => [c.setBy, c.mode, c.enteredValue, c.currency, c.amount])).toEqual([
      ['ann@example.com', 'total', '2.000000', null, '2.000000'],
      ['API key ops', 'per_click', '0.500000', 'EUR', '2.400000'],
    ]);
    const [row] = await statsOf(campaign.id);
    expect(row.sums).toMatchObject({ clicks: 4n, cost: 2_400_000n });
  });
});
