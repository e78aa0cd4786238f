import { newClickId } from '@postwire/core';
import { BOTH_DRIVERS, openTestDatabase, type TestDatabase } from './test-support/databases';
import { seedCampaign } from './test-support/seed-campaign';
import { CampaignRepository } from './repositories/campaign.repository';
import { ClickRepository, type NewClick } from './repositories/click.repository';
import { OfferRepository } from './repositories/offer.repository';

/** A click keeps the offer its campaign pointed to when it was made (migration 028), whatever the campaign points to later. */
describe.each(BOTH_DRIVERS)('offer at click time on %s', (driver) => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await openTestDatabase(driver);
  }, 60_000);

  afterAll(async () => {
    await db?.drop();
  });

  it.each([
    ['with rollups', {}],
    ['bare (rollups off)', { rollups: false }],
  ])('stores the route offer of each click, across an offer change (%s)', async (_name, options) => {
    const { campaign, offer, network } = await seedCampaign(db.client);
    const campaigns = new CampaignRepository(db.client);
    const clicks = new ClickRepository(db.client);
    const click = async (): Promise<NewClick> => {
      const route = await campaigns.getRoute(campaign.id);
      const at = new Date();
      return { id: newClickId(at.getTime()), campaignId: route!.campaignId, offerId: route!.offerId, subs: {}, createdAt: at };
    };
    const first = await click();
    const next = await new OfferRepository(db.client).create({ name: `next ${offer.name}`, networkId: network.id, url: 'https://next.example/?c={click_id}' });
    await campaigns.update(campaign.id, { offerId: next.id });
    const second = await click();
    await clicks.insertMany([first, second], options);

    expect((await clicks.get(first.id))?.offerId).toBe(offer.id);
    expect((await clicks.get(second.id))?.offerId).toBe(next.id);
  });

  it('leaves the offer unset for a click made without one (rows from before migration 028 read the same)', async () => {
    const { campaign } = await seedCampaign(db.client);
    const at = new Date();
    const id = newClickId(at.getTime());
    await new ClickRepository(db.client).insertMany([{ id, campaignId: campaign.id, subs: {}, createdAt: at }]);
    const stored = await new ClickRepository(db.client).get(id);
    expect(stored).toMatchObject({ id, campaignId: campaign.id });
    expect(stored?.offerId).toBeUndefined();
  });
});
