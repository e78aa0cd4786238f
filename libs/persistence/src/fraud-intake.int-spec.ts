import { FraudScorer, newClickId, type FraudPolicy } from '@postwire/core';
import { CampaignRepository } from './repositories/campaign.repository';
import { ClickRepository } from './repositories/click.repository';
import { FraudRepository } from './repositories/fraud.repository';
import { NetworkRepository } from './repositories/network.repository';
import { OfferRepository } from './repositories/offer.repository';
import { PostbackRecorder, type InboundConversion } from './repositories/postback-recorder';
import { Reattributor } from './repositories/reattributor';
import { TrafficSourceRepository } from './repositories/traffic-source.repository';
import { BOTH_DRIVERS, openTestDatabase, type TestDatabase } from './test-support/databases';

const GOOGLEBOT = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';
const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';

/**
 * What conversion intake does with fraud verdicts beyond the first postback: a fraud rejection sticks,
 * reattributed and test conversions are scored, and the buyer's country is compared with the click's.
 */
describe.each(BOTH_DRIVERS)('fraud at intake on %s', (driver) => {
  let db: TestDatabase;
  let clicks: ClickRepository;
  let recorder: PostbackRecorder;
  let fraud: FraudRepository;
  let campaignId: string;
  const scorer = new FraudScorer();

  beforeAll(async () => {
    db = await openTestDatabase(driver);
    clicks = new ClickRepository(db.client);
    recorder = new PostbackRecorder(db.client, { fraud: scorer });
    fraud = new FraudRepository(db.client);
    const network = await new NetworkRepository(db.client).create({ name: 'N', slug: 'n', adapter: 'generic', adapterConfig: {}, attributionWindowDays: 30 });
    const offer = await new OfferRepository(db.client).create({ name: 'O', networkId: network.id, url: 'https://o.example/?c={click_id}', payout: '2' });
    const source = await new TrafficSourceRepository(db.client).create({ name: 'S', postbackUrl: 'https://s.example/pb?e={external_id}', method: 'GET' });
    campaignId = (await new CampaignRepository(db.client).create({ name: 'C', trafficSourceId: source.id, offerId: offer.id })).id;
  }, 60_000);

  afterAll(async () => {
    await db?.drop();
  });

  const policy = (p: Partial<FraudPolicy>) => fraud.setPolicy('campaign', campaignId, p);
  async function click(userAgent: string, country = 'DE', id = newClickId(Date.now() - 60_000)): Promise<string> {
    await clicks.insertMany([
      {
        id,
        campaignId,
        externalId: 'ext',
        subs: {},
        userAgent,
        ip: '81.2.69.142',
        createdAt: new Date(Date.now() - 60_000),
        enrichment: { country, deviceType: '', os: '', browser: '', referrerDomain: null, visitorKey: `c:${id}`, cost: '0', costMissing: false },
      },
    ]);
    return id;
  }
  const postback = (clickId: string, extra: Partial<InboundConversion> = {}): InboundConversion => ({
    channel: 's2s',
    clickId,
    params: { click_id: clickId },
    receivedAt: new Date(),
    ...extra,
  });
  const statusOf = async (id: string) => (await db.client.query<{ status: string }>(`SELECT status FROM conversions WHERE id = $1`, [id])).rows[0].status;
  const deliveries = async (id: string) => (await db.client.query(`SELECT 1 FROM deliveries WHERE conversion_id = $1`, [id])).rows.length;

  it('keeps a conversion rejected as fraud declined when a later postback approves it: ignored, not forwarded, in the log', async () => {
    await policy({ action: 'reject', actionScore: 60 });
    const clickId = await click(GOOGLEBOT);
    const first = await recorder.record(postback(clickId, { txid: 'r-1', status: 'pending' }));
    expect(await statusOf(first.conversionId!)).toBe('declined');
    const later = await recorder.record(postback(clickId, { txid: 'r-1', status: 'approved', payout: '9' }));
    expect(later).toMatchObject({ outcome: 'ignored', reason: 'fraud_rejected', conversionId: first.conversionId, deliveryIds: [] });
    expect(await statusOf(first.conversionId!)).toBe('declined');
    expect(await deliveries(first.conversionId!)).toBe(0);
    const history = await db.client.query<{ to_status: string }>(`SELECT to_status FROM conversion_status_history WHERE conversion_id = $1`, [
      first.conversionId,
    ]);
    expect(history.rows.map((r) => r.to_status)).toEqual(['declined']);
    const log = await db.client.query<{ outcome: string; reason: string }>(`SELECT outcome, reason FROM postbacks WHERE id = $1`, [later.postbackId]);
    expect(log.rows[0]).toEqual({ outcome: 'ignored', reason: 'fraud_rejected' });
  });

  it('keeps a conversion an operator rejected declined too', async () => {
    await policy({ action: 'hold', actionScore: 60 });
    const clickId = await click(GOOGLEBOT);
    const first = await recorder.record(postback(clickId, { txid: 'r-2' }));
    await fraud.reject([first.conversionId!], 'ops@example.com');
    const later = await recorder.record(postback(clickId, { txid: 'r-2', status: 'approved' }));
    expect(later.outcome).toBe('ignored');
    expect(await statusOf(first.conversionId!)).toBe('declined');
  });

  it('scores a reattributed conversion (its click arrived after the postback) with the policy, holds and all', async () => {
    await policy({ action: 'hold', actionScore: 60 });
    const clickId = newClickId(Date.now() - 60_000);
    const early = await recorder.record(postback(clickId, { txid: 'late-1' }));
    expect(early.outcome).toBe('unattributed');
    await click(GOOGLEBOT, 'DE', clickId);
    const run = await new Reattributor(db.client, { fraud: scorer }).run();
    const result = run.results.find((r) => r.outcome === 'accepted')!;
    expect(result.deliveryIds).toEqual([]);
    expect(await fraud.forConversion(result.conversionId!)).toMatchObject({ verdict: 'hold', holdState: 'held' });
  });

  it('scores a test conversion and applies the verdict, so a policy can be tried out', async () => {
    await policy({ action: 'hold', actionScore: 60 });
    const result = await recorder.record(postback(await click(GOOGLEBOT), { test: { forward: true } }));
    expect(result.deliveryIds).toEqual([]);
    expect(await fraud.forConversion(result.conversionId!)).toMatchObject({ verdict: 'hold', holdState: 'held' });
    const real = await recorder.record(postback(await click(GOOGLEBOT)));

    // The review queue marks it, and filters either way.
    const all = await fraud.listHeld({ limit: 500, offset: 0 });
    expect(all.items.find((i) => i.conversionId === result.conversionId)).toMatchObject({ isTest: true });
    expect(all.items.find((i) => i.conversionId === real.conversionId)).toMatchObject({ isTest: false });
    const tests = await fraud.listHeld({ test: true, limit: 500, offset: 0 });
    expect(tests.items.map((i) => i.conversionId)).toEqual([result.conversionId]);
    expect(tests.total).toBe(1);
    const others = await fraud.listHeld({ test: false, limit: 500, offset: 0 });
    expect(others.items.map((i) => i.conversionId)).toContain(real.conversionId);
    expect(others.items.every((i) => !i.isTest)).toBe(true);
    expect(others.total + tests.total).toBe(all.total);
  });

  it("compares the buyer's country with the click's, and keeps it for a reattribution", async () => {
    await policy({});
    const abroad = await recorder.record(postback(await click(CHROME, 'DE'), { country: 'US' }));
    const signal = (await fraud.forConversion(abroad.conversionId!))!.signals.find((s) => s.code === 'geo_mismatch');
    expect(signal).toMatchObject({ fired: true, value: 'click DE, conversion US', weight: 40 });
    const home = await recorder.record(postback(await click(CHROME, 'DE'), { country: 'DE' }));
    expect((await fraud.forConversion(home.conversionId!))!.signals.find((s) => s.code === 'geo_mismatch')).toMatchObject({ fired: false });
    const unknown = await recorder.record(postback(await click(CHROME, 'DE')));
    expect((await fraud.forConversion(unknown.conversionId!))!.signals.map((s) => s.code)).not.toContain('geo_mismatch');

    const clickId = newClickId(Date.now() - 60_000);
    expect((await recorder.record(postback(clickId, { txid: 'late-geo', country: 'FR' }))).outcome).toBe('unattributed');
    await click(CHROME, 'DE', clickId);
    const run = await new Reattributor(db.client, { fraud: scorer }).run();
    const late = run.results.find((r) => r.outcome === 'accepted')!;
    expect((await fraud.forConversion(late.conversionId!))!.signals.find((s) => s.code === 'geo_mismatch')).toMatchObject({ value: 'click DE, conversion FR' });
  });
});
