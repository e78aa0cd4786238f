import { newClickId } from '@postwire/core';
import { CampaignRepository } from './repositories/campaign.repository';
import { ClickRepository, type ClickEnrichment } from './repositories/click.repository';
import { NetworkRepository } from './repositories/network.repository';
import { OfferRepository } from './repositories/offer.repository';
import { TrafficSourceRepository } from './repositories/traffic-source.repository';
import { BOTH_DRIVERS, openTestDatabase, type TestDatabase } from './test-support/databases';

const enrichment = (visitorKey: string, cookieClickId?: string): ClickEnrichment => ({
  country: '',
  deviceType: '',
  os: '',
  browser: '',
  referrerDomain: null,
  visitorKey,
  cookieClickId,
  cost: '0',
  costMissing: false,
});

/** A click is unique when its visitor (cookie, else IP + User-Agent hash) has no click on the campaign in the 24 hours before it. */
describe.each(BOTH_DRIVERS)('click uniqueness on %s', (driver) => {
  let db: TestDatabase;
  let campaigns: string[];

  beforeAll(async () => {
    db = await openTestDatabase(driver);
    const network = await new NetworkRepository(db.client).create({ name: 'N', slug: 'n', adapter: 'generic', adapterConfig: {}, attributionWindowDays: 30 });
    const offer = await new OfferRepository(db.client).create({ name: 'O', networkId: network.id, url: 'https://o.example/?c={click_id}' });
    const source = await new TrafficSourceRepository(db.client).create({ name: 'S', postbackUrl: 'https://s.example/pb', method: 'GET' });
    const repo = new CampaignRepository(db.client);
    campaigns = [
      (await repo.create({ name: 'A', trafficSourceId: source.id, offerId: offer.id })).id,
      (await repo.create({ name: 'B', trafficSourceId: source.id, offerId: offer.id })).id,
    ];
  }, 60_000);

  afterAll(async () => {
    await db?.drop();
  });

  it('follows the cookie to the stored click’s visitor, counts per campaign, and forgets after 24 hours', async () => {
    const clicks = new ClickRepository(db.client);
    const t0 = Date.now() - 3 * 86_400_000;
    const ids = Array.from({ length: 6 }, (_, i) => newClickId(t0 + i));
    await clicks.insertMany([{ id: ids[0], campaignId: campaigns[0], subs: {}, createdAt: new Date(t0), enrichment: enrichment('h:one') }]);
    await clicks.insertMany([
      // Another address, but the cookie names ids[0]: the same visitor, an hour later.
      { id: ids[1], campaignId: campaigns[0], subs: {}, createdAt: new Date(t0 + 3_600_000), enrichment: enrichment('h:two', ids[0]) },
      // Same visitor on another campaign: unique there.
      { id: ids[2], campaignId: campaigns[1], subs: {}, createdAt: new Date(t0 + 3_600_000), enrichment: enrichment('h:one') },
      // Same visitor 25 hours after its last click on the campaign: unique again.
      { id: ids[3], campaignId: campaigns[0], subs: {}, createdAt: new Date(t0 + 26 * 3_600_000), enrichment: enrichment('h:one') },
      // And again within the same batch, a minute later: not unique.
      { id: ids[4], campaignId: campaigns[0], subs: {}, createdAt: new Date(t0 + 26 * 3_600_000 + 60_000), enrichment: enrichment('h:one') },
    ]);
    const { rows } = await db.client.query<{ id: string; visitor_key: string; is_unique: boolean }>(
      'SELECT id, visitor_key, is_unique FROM clicks WHERE id = ANY($1) ORDER BY id',
      [ids],
    );
    expect(rows.map((r) => [r.visitor_key, r.is_unique])).toEqual([
      ['h:one', true],
      ['h:one', false],
      ['h:one', true],
      ['h:one', true],
      ['h:one', false],
    ]);
    const { rows: rollup } = await db.client.query<{ clicks: string; unique_clicks: string }>(
      'SELECT sum(clicks)::text AS clicks, sum(unique_clicks)::text AS unique_clicks FROM click_rollups WHERE campaign_id = $1',
      [campaigns[0]],
    );
    expect(rollup[0]).toEqual({ clicks: '4', unique_clicks: '2' });
  });
});
