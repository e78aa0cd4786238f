import { FraudScorer, newClickId } from '@postwire/core';
import { CampaignRepository } from './repositories/campaign.repository';
import { ClickRepository } from './repositories/click.repository';
import { FraudRepository } from './repositories/fraud.repository';
import { LifecycleRepository } from './repositories/lifecycle.repository';
import { NetworkRepository } from './repositories/network.repository';
import { OfferRepository } from './repositories/offer.repository';
import { loadClickContexts } from './repositories/postback-batch/click-context';
import { PostbackRecorder, type InboundConversion } from './repositories/postback-recorder';
import { TrafficSourceRepository } from './repositories/traffic-source.repository';
import { BOTH_DRIVERS, openTestDatabase, type TestDatabase } from './test-support/databases';

const GOOGLEBOT = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';
const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';

/** Fraud verdicts at intake, holds, release and rejection, on the embedded PGlite and on a real PostgreSQL alike. */
describe.each(BOTH_DRIVERS)('fraud storage on %s', (driver) => {
  let db: TestDatabase;
  let clicks: ClickRepository;
  let recorder: PostbackRecorder;
  let fraud: FraudRepository;
  let campaignId: string;
  let offerId: string;

  beforeAll(async () => {
    db = await openTestDatabase(driver);
    clicks = new ClickRepository(db.client);
    // No ASN database here: the signals used are the user agent's and the CTIT (the datacenter signal has its own spec).
    recorder = new PostbackRecorder(db.client, { fraud: new FraudScorer() });
    fraud = new FraudRepository(db.client);
    const network = await new NetworkRepository(db.client).create({ name: 'N', slug: 'n', adapter: 'generic', adapterConfig: {}, attributionWindowDays: 30 });
    const offer = await new OfferRepository(db.client).create({ name: 'O', networkId: network.id, url: 'https://o.example/?c={click_id}', payout: '2' });
    const source = await new TrafficSourceRepository(db.client).create({
      name: 'S',
      postbackUrl: 'https://s.example/pb?e={external_id}&score={fraud_score}&why={fraud_reason}',
      method: 'GET',
    });
    campaignId = (await new CampaignRepository(db.client).create({ name: 'C', trafficSourceId: source.id, offerId: offer.id })).id;
    offerId = offer.id;
  }, 60_000);

  afterAll(async () => {
    await db?.drop();
  });

  async function click(userAgent: string, ageMs = 60_000): Promise<string> {
    const createdAt = new Date(Date.now() - ageMs);
    const id = newClickId(createdAt.getTime());
    await clicks.insertMany([{ id, campaignId, externalId: 'ext', subs: {}, userAgent, ip: '81.2.69.142', createdAt }]);
    return id;
  }
  const postback = (clickId: string, extra: Partial<InboundConversion> = {}): InboundConversion => ({
    channel: 's2s',
    clickId,
    params: { click_id: clickId },
    receivedAt: new Date(),
    ...extra,
  });
  const deliveryUrls = async (conversionId: string) =>
    (await db.client.query<{ url: string }>(`SELECT url FROM deliveries WHERE conversion_id = $1 ORDER BY created_at`, [conversionId])).rows.map((r) => r.url);

  it('by default only flags: a bot conversion is scored and still forwarded, with the fraud macros filled', async () => {
    const result = await recorder.record(postback(await click(GOOGLEBOT)));
    expect(result.deliveryIds).toHaveLength(1);
    const stored = await fraud.forConversion(result.conversionId!);
    expect(stored).toMatchObject({ verdict: 'flag', holdState: null, score: 80 });
    expect(stored!.signals.find((s) => s.code === 'bot_user_agent')).toMatchObject({ fired: true, threshold: 'isbot crawler list' });
    expect(await deliveryUrls(result.conversionId!)).toEqual(['https://s.example/pb?e=ext&score=80&why=bot_user_agent']);
  });

  it('a clean conversion is allowed and told score 0', async () => {
    const result = await recorder.record(postback(await click(CHROME)));
    expect((await fraud.forConversion(result.conversionId!))!.verdict).toBe('allow');
    expect(await deliveryUrls(result.conversionId!)).toEqual(['https://s.example/pb?e=ext&score=0&why=']);
  });

  describe('with a hold policy on the campaign', () => {
    beforeAll(async () => {
      expect(await fraud.setPolicy('campaign', campaignId, { action: 'hold', actionScore: 60, holdHours: 1, holdExpiry: 'reject' })).toBe(true);
    });

    it('holds a bot conversion: stored with its reasons, not forwarded, and later changes are not forwarded either', async () => {
      const clickId = await click(GOOGLEBOT);
      const result = await recorder.record(postback(clickId, { txid: 't-held', status: 'pending' }));
      expect(result.outcome).toBe('accepted');
      expect(result.deliveryIds).toEqual([]);
      const stored = await fraud.forConversion(result.conversionId!);
      expect(stored).toMatchObject({ verdict: 'hold', holdState: 'held', holdExpiry: 'reject' });
      expect(stored!.heldUntil!.getTime() - stored!.scoredAt.getTime()).toBeGreaterThan(3_500_000);
      const update = await recorder.record(postback(clickId, { txid: 't-held', status: 'approved' }));
      expect(update.outcome).toBe('updated');
      expect(update.deliveryIds).toEqual([]);
      expect(await deliveryUrls(result.conversionId!)).toEqual([]);
      const { items, total } = await fraud.listHeld({ limit: 50, offset: 0 });
      expect(total).toBe(1);
      expect(items[0]).toMatchObject({ conversionId: result.conversionId, status: 'approved', clickId });
    });

    it('holds on a CTIT below the minimum alone (with a weight that reaches the action score)', async () => {
      await fraud.setPolicy('campaign', campaignId, { action: 'hold', actionScore: 60, weights: { ctit_too_short: 60 } });
      const result = await recorder.record(postback(await click(CHROME, 2_000)));
      const stored = await fraud.forConversion(result.conversionId!);
      expect(stored!.holdState).toBe('held');
      expect(stored!.signals.find((s) => s.code === 'ctit_too_short')).toMatchObject({ fired: true, threshold: 'min 10 s' });
      await fraud.reject([result.conversionId!], 'test');
    });

    it('releases a held conversion: forwarded once, a second release does nothing', async () => {
      const { items } = await fraud.listHeld({ limit: 50, offset: 0 });
      const id = items[0].conversionId;
      const first = await fraud.release([id], 'ops@example.com');
      expect(first.decided).toEqual([id]);
      expect(first.deliveryIds).toHaveLength(1);
      const again = await fraud.release([id], 'ops@example.com');
      expect(again).toEqual({ decided: [], deliveryIds: [] });
      expect(await deliveryUrls(id)).toEqual(['https://s.example/pb?e=ext&score=80&why=bot_user_agent']);
      expect(await fraud.forConversion(id)).toMatchObject({ holdState: 'released', decidedBy: 'ops@example.com' });
    });

    it('rejects held conversions in bulk: declined, with history, never forwarded', async () => {
      const a = await recorder.record(postback(await click(GOOGLEBOT)));
      const b = await recorder.record(postback(await click(GOOGLEBOT)));
      const decision = await fraud.reject([a.conversionId!, b.conversionId!, '00000000-0000-0000-0000-000000000000'], 'ops@example.com');
      expect(decision.decided.sort()).toEqual([a.conversionId, b.conversionId].sort());
      const { rows } = await db.client.query<{ status: string; to_status: string }>(
        `SELECT c.status, h.to_status FROM conversions c JOIN conversion_status_history h ON h.conversion_id = c.id WHERE c.id = $1 ORDER BY h.id DESC LIMIT 1`,
        [a.conversionId],
      );
      expect(rows[0]).toEqual({ status: 'declined', to_status: 'declined' });
      expect(await deliveryUrls(a.conversionId!)).toEqual([]);
    });

    it('expires holds by their rule', async () => {
      await fraud.setPolicy('campaign', campaignId, { action: 'hold', actionScore: 60, holdHours: 1, holdExpiry: 'reject' });
      const held = await recorder.record(postback(await click(GOOGLEBOT)));
      const early = await fraud.expire(new Date());
      expect(early.rejected.decided).toEqual([]);
      const later = await fraud.expire(new Date(Date.now() + 2 * 3_600_000));
      expect(later.rejected.decided).toEqual([held.conversionId]);
      expect((await fraud.forConversion(held.conversionId!))!.decidedBy).toBe('hold expired');
    });

    it('a reject policy stores the conversion declined and forwards nothing', async () => {
      await fraud.setPolicy('campaign', campaignId, { action: 'reject', actionScore: 60 });
      const result = await recorder.record(postback(await click(GOOGLEBOT)));
      expect(result.deliveryIds).toEqual([]);
      const { rows } = await db.client.query<{ status: string }>(`SELECT status FROM conversions WHERE id = $1`, [result.conversionId]);
      expect(rows[0].status).toBe('declined');
      expect((await fraud.forConversion(result.conversionId!))!.holdState).toBe('rejected');
    });
  });

  it("an offer's policy applies under a campaign's, field by field, and goes with the offer when cloned", async () => {
    await fraud.setPolicy('campaign', campaignId, { actionScore: 60 });
    await fraud.setPolicy('offer', offerId, { action: 'dont_forward' });
    const result = await recorder.record(postback(await click(GOOGLEBOT)));
    expect(result.deliveryIds).toEqual([]);
    expect((await fraud.forConversion(result.conversionId!))!.verdict).toBe('dont_forward');
    const copy = await db.client.transaction((tx) => new LifecycleRepository(tx).clone('offer', offerId));
    expect(await fraud.getPolicy('offer', copy!)).toEqual({ action: 'dont_forward' });
  });

  it("gives a click and a conversion the same policy: the campaign's over the offer's, velocity per threshold", async () => {
    await fraud.setPolicy('offer', offerId, {
      flagScore: 30,
      velocity: { ipClicksPerMinute: 20, ipUaClicksPerMinute: 10 },
      duplicates: { ipConversionsPerDay: 5 },
    });
    await fraud.setPolicy('campaign', campaignId, { velocity: { ipClicksPerMinute: 200 } });
    const layered = { flagScore: 30, velocity: { ipClicksPerMinute: 200, ipUaClicksPerMinute: 10 }, duplicates: { ipConversionsPerDay: 5 } };
    expect((await new CampaignRepository(db.client).getRoute(campaignId))!.fraudPolicy).toEqual(layered);
    const [context] = await loadClickContexts(db.client, [{ clickId: await click(CHROME), goal: '' }]);
    expect(context!.fraud.policy).toEqual(layered);
    expect(await fraud.offerPolicyOf(campaignId)).toEqual({
      flagScore: 30,
      velocity: { ipClicksPerMinute: 20, ipUaClicksPerMinute: 10 },
      duplicates: { ipConversionsPerDay: 5 },
    });
    expect(await fraud.offerPolicyOf('nope')).toBeNull();
    await fraud.setPolicy('offer', offerId, {});
    await fraud.setPolicy('campaign', campaignId, {});
  });

  it('refuses a policy for an unknown campaign', async () => {
    expect(await fraud.setPolicy('campaign', '00000000-0000-0000-0000-000000000000', {})).toBe(false);
    expect(await fraud.getPolicy('campaign', '00000000-0000-0000-0000-000000000000')).toBeUndefined();
    expect(await fraud.getPolicy('campaign', 'nope')).toBeUndefined();
  });
});
