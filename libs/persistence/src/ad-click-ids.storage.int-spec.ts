import { newClickId } from '@postwire/core';
import { ClickRepository } from './repositories/click.repository';
import { ForwardingTargetRepository } from './repositories/forwarding-target.repository';
import { BOTH_DRIVERS, openTestDatabase, type TestDatabase } from './test-support/databases';
import { seedCampaign } from './test-support/seed-campaign';

/** Migration 022 on both drivers: a click's ad-platform ids, their retention, and a source's target settings. */
describe.each(BOTH_DRIVERS)('ad click ids and source targets on %s', (driver) => {
  let db: TestDatabase;
  let clicks: ClickRepository;

  beforeAll(async () => {
    db = await openTestDatabase(driver);
    clicks = new ClickRepository(db.client);
  }, 60_000);

  afterAll(async () => {
    await db?.drop();
  });

  it('stores only the identifiers a click brought, and clears them past the retention line, keeping the click', async () => {
    const { campaign } = await seedCampaign(db.client);
    const old = new Date(Date.now() - 91 * 86_400_000);
    const [withIds, bare, oldOne] = [newClickId(), newClickId(), newClickId(old.getTime())];
    await clicks.insertMany([
      { id: withIds, campaignId: campaign.id, subs: {}, createdAt: new Date(), adIds: { fbclid: 'IwAR-x', landingUrl: 'https://shop.example/lp' } },
      { id: bare, campaignId: campaign.id, subs: {}, createdAt: new Date() },
      { id: oldOne, campaignId: campaign.id, subs: {}, createdAt: old, adIds: { gclid: 'Cj0-old' } },
    ]);
    expect((await clicks.get(withIds))!.adIds).toEqual({ fbclid: 'IwAR-x', landingUrl: 'https://shop.example/lp' });
    expect((await clicks.get(bare))!.adIds).toBeUndefined();
    expect((await clicks.get(oldOne))!.adIds).toEqual({ gclid: 'Cj0-old' });
    expect(await clicks.clearAdIdsOlderThan(new Date(Date.now() - 90 * 86_400_000))).toBe(1);
    expect((await clicks.get(oldOne))!.adIds).toBeUndefined();
    expect((await clicks.get(withIds))!.adIds).toEqual({ fbclid: 'IwAR-x', landingUrl: 'https://shop.example/lp' });
    expect(await clicks.clearAdIdsOlderThan(new Date(Date.now() - 90 * 86_400_000))).toBe(0);
  });

  it('gives every source the postback URL target until another is chosen', async () => {
    const { source } = await seedCampaign(db.client);
    const targets = new ForwardingTargetRepository(db.client);
    expect(await targets.sourceTarget(source.id)).toEqual({ targetId: 'postback-url', config: {}, mapping: [] });
    const chosen = {
      targetId: 'meta-capi',
      config: { pixelId: '1', accessToken: 'sealed:abc' },
      mapping: [{ status: 'approved' as const, event: 'Purchase' }],
    };
    expect(await targets.setSourceTarget(source.id, chosen)).toBe(true);
    expect(await targets.sourceTarget(source.id)).toEqual(chosen);
    expect(await targets.setSourceTarget('00000000-0000-4000-8000-000000000000', chosen)).toBe(false);
  });
});
