import { FraudScorer, newClickId } from '@postwire/core';
import { CampaignRepository } from './repositories/campaign.repository';
import { ClickRepository } from './repositories/click.repository';
import { FraudRepository } from './repositories/fraud.repository';
import { NetworkRepository } from './repositories/network.repository';
import { OfferRepository } from './repositories/offer.repository';
import { loadClickContexts } from './repositories/postback-batch/click-context';
import { ConversionRateLookup, RATE_CACHE_MS, windowStart } from './repositories/postback-batch/conversion-rates';
import { PostbackRecorder } from './repositories/postback-recorder';
import { TrafficSourceRepository } from './repositories/traffic-source.repository';
import { BOTH_DRIVERS, openTestDatabase, type TestDatabase } from './test-support/databases';

const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';

/** Conversion rates per traffic source and zone, read from the report rollups, on the embedded PGlite and a real PostgreSQL. */
describe.each(BOTH_DRIVERS)('conversion rates on %s', (driver) => {
  let db: TestDatabase;
  let clicks: ClickRepository;
  let recorder: PostbackRecorder;
  let campaignId: string;
  let otherCampaignId: string;
  const zoneA: string[] = [];
  const zoneB: string[] = [];

  beforeAll(async () => {
    db = await openTestDatabase(driver);
    clicks = new ClickRepository(db.client);
    recorder = new PostbackRecorder(db.client, { fraud: new FraudScorer() });
    const network = await new NetworkRepository(db.client).create({ name: 'N', slug: 'n', adapter: 'generic', adapterConfig: {}, attributionWindowDays: 30 });
    const offer = await new OfferRepository(db.client).create({ name: 'O', networkId: network.id, url: 'https://o.example/?c={click_id}', payout: '2' });
    const sources = new TrafficSourceRepository(db.client);
    const source = await sources.create({ name: 'S', postbackUrl: 'https://s.example/pb', method: 'GET' });
    const other = await sources.create({ name: 'T', postbackUrl: 'https://t.example/pb', method: 'GET' });
    const campaigns = new CampaignRepository(db.client);
    campaignId = (await campaigns.create({ name: 'C', trafficSourceId: source.id, offerId: offer.id })).id;
    otherCampaignId = (await campaigns.create({ name: 'D', trafficSourceId: other.id, offerId: offer.id })).id;
    const at = Date.now() - 120_000;
    const click = (campaign: string, zone: string, time: number) => ({
      id: newClickId(time),
      campaignId: campaign,
      subs: { sub2: zone },
      userAgent: CHROME,
      ip: '81.2.69.142',
      createdAt: new Date(time),
    });
    const batch = [
      ...Array.from({ length: 10 }, (_, i) => click(campaignId, 'zone-a', at + i)),
      ...Array.from({ length: 10 }, (_, i) => click(campaignId, 'zone-b', at + 100 + i)),
      // Another source's clicks, and this source's clicks before a 7-day window: neither counts.
      ...Array.from({ length: 5 }, (_, i) => click(otherCampaignId, 'zone-a', at + 200 + i)),
      ...Array.from({ length: 5 }, (_, i) => click(campaignId, 'zone-a', Date.now() - 9 * 86_400_000 + i)),
    ];
    await clicks.insertMany(batch);
    zoneA.push(...batch.slice(0, 10).map((c) => c.id));
    zoneB.push(...batch.slice(10, 20).map((c) => c.id));
    for (const id of zoneA.slice(0, 3))
      expect((await recorder.record({ channel: 's2s', clickId: id, params: {}, receivedAt: new Date() })).outcome).toBe('accepted');
    // A declined conversion is no conversion of the rate.
    await recorder.record({ channel: 's2s', clickId: zoneB[0], status: 'declined', params: {}, receivedAt: new Date() });
  }, 60_000);

  afterAll(async () => {
    await db?.drop();
  });

  const ratesOf = async (lookup: ConversionRateLookup, clickId: string, policy: object) => {
    const [ctx] = await loadClickContexts(db.client, [{ clickId, goal: '' }]);
    const conversion = { id: 'new', created: true, ctx: { ...ctx!, fraud: { ...ctx!.fraud, policy } }, singleKey: '', revision: 1, test: false };
    return (await lookup.ratesOf(db.client, [conversion as never])).get('new');
  };
  const CHECKED = { conversionRate: { minClicks: 10, maxRate: 0.2, minRate: null, subParam: 'sub2', windowDays: 7 } };

  it("measures the source's and the zone's clicks and conversions over the window, from the rollups", async () => {
    expect(await ratesOf(new ConversionRateLookup(), zoneA[5], CHECKED)).toEqual({
      source: { clicks: 20, conversions: 3 },
      sub: { param: 'sub2', value: 'zone-a', clicks: 10, conversions: 3 },
    });
    expect((await ratesOf(new ConversionRateLookup(), zoneB[5], CHECKED))!.sub).toEqual({ param: 'sub2', value: 'zone-b', clicks: 10, conversions: 0 });
  });

  it('measures nothing for a policy that checks no rate', async () => {
    expect(await ratesOf(new ConversionRateLookup(), zoneA[5], {})).toBeUndefined();
    expect(await ratesOf(new ConversionRateLookup(), zoneA[5], { conversionRate: { ...CHECKED.conversionRate, maxRate: null } })).toBeUndefined();
  });

  it('reuses a measurement for a minute, then reads it again', async () => {
    let now = Date.now();
    const lookup = new ConversionRateLookup(() => now);
    expect((await ratesOf(lookup, zoneA[5], CHECKED))!.source).toEqual({ clicks: 20, conversions: 3 });
    await recorder.record({ channel: 's2s', clickId: zoneA[3], params: {}, receivedAt: new Date() });
    expect((await ratesOf(lookup, zoneA[5], CHECKED))!.source).toEqual({ clicks: 20, conversions: 3 });
    now += RATE_CACHE_MS + 1;
    expect((await ratesOf(lookup, zoneA[5], CHECKED))!.source).toEqual({ clicks: 20, conversions: 4 });
  });

  it('scores a conversion from a zone that converts too well as cr_outlier_sub, with the rate measured before it', async () => {
    await new FraudRepository(db.client).setPolicy('campaign', campaignId, CHECKED as never);
    const result = await recorder.record({ channel: 's2s', clickId: zoneA[4], params: {}, receivedAt: new Date() });
    const signals = (await new FraudRepository(db.client).forConversion(result.conversionId!))!.signals;
    expect(signals.find((s) => s.code === 'cr_outlier_source')).toMatchObject({ fired: false, value: '20 % of 20 clicks', measured: 0.2 });
    expect(signals.find((s) => s.code === 'cr_outlier_sub')).toMatchObject({
      fired: true,
      value: 'sub2=zone-a: 40 % of 10 clicks',
      threshold: 'max 20 % from 10 clicks',
      measured: 0.4,
      weight: 30,
    });
  });

  it('starts the window at UTC midnight, today included', () => {
    expect(windowStart(Date.parse('2026-03-10T15:00:00Z'), 7).toISOString()).toBe('2026-03-04T00:00:00.000Z');
    expect(windowStart(Date.parse('2026-03-10T15:00:00Z'), 1).toISOString()).toBe('2026-03-10T00:00:00.000Z');
  });
});
