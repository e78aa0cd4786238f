import { newClickId } from '@postwire/core';
import { AuditLogRepository } from './repositories/audit-log.repository';
import { CampaignRepository } from './repositories/campaign.repository';
import { ClickRepository } from './repositories/click.repository';
import { LifecycleRepository } from './repositories/lifecycle.repository';
import { OfferRepository } from './repositories/offer.repository';
import { StatsRepository } from './repositories/stats.repository';
import { BOTH_DRIVERS, openTestDatabase, type TestDatabase } from './test-support/databases';
import { seedCampaign } from './test-support/seed-campaign';

/** The lifecycle storage on both drivers: marks and versions, tags, references, clones, paused clicks, the audit log. */
describe.each(BOTH_DRIVERS)('lifecycle storage on %s', (driver) => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await openTestDatabase(driver);
  }, 60_000);

  afterAll(async () => {
    await db?.drop();
  });

  it('pauses, archives and tags items, bumping their versions, inside a transaction that can roll back', async () => {
    const { campaign } = await seedCampaign(db.client);
    const lifecycle = new LifecycleRepository(db.client);
    await lifecycle.apply('campaign', [campaign.id], { paused: true, addTags: ['b', 'a', 'b'] });
    await lifecycle.apply('campaign', [campaign.id], { archived: true, addTags: ['a', 'c'], removeTags: ['b'] });
    const stored = (await new CampaignRepository(db.client).get(campaign.id))!;
    expect(stored).toMatchObject({ version: 3, tags: ['a', 'c'] });
    expect(stored.pausedAt).toBeInstanceOf(Date);
    expect(stored.archivedAt).toBeInstanceOf(Date);

    await expect(
      db.client.transaction(async (tx) => {
        expect(await new LifecycleRepository(tx).lockVersion('campaign', campaign.id)).toBe(3);
        await new LifecycleRepository(tx).apply('campaign', [campaign.id], { paused: false, archived: false });
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect((await new CampaignRepository(db.client).get(campaign.id))!.version).toBe(3);
    // A paused offer pauses its campaigns' clicks (the route), not the campaigns' own marks.
    const live = (await seedCampaign(db.client)).campaign;
    await lifecycle.apply('offer', [live.offerId], { paused: true });
    expect((await new OfferRepository(db.client).get(live.offerId))!).toMatchObject({ version: 2, pausedAt: expect.any(Date) });
    expect((await new CampaignRepository(db.client).get(live.id))!).toMatchObject({ pausedAt: null, offerPausedAt: expect.any(Date) });
    expect((await new CampaignRepository(db.client).getRoute(live.id))!.paused).toBe(true);
    await lifecycle.apply('offer', [live.offerId], { paused: false });
    expect((await new CampaignRepository(db.client).get(live.id))!.offerPausedAt).toBeNull();
    expect((await new CampaignRepository(db.client).getRoute(live.id))!.paused).toBe(false);
    expect(await lifecycle.missing('campaign', [campaign.id, '00000000-0000-4000-8000-000000000000', 'nope'])).toEqual([
      '00000000-0000-4000-8000-000000000000',
      'nope',
    ]);
  });

  it('names what refers to an item, deletes it once nothing does, and clones an offer with its goals', async () => {
    const { offer, campaign, source } = await seedCampaign(db.client);
    const lifecycle = new LifecycleRepository(db.client);
    expect(await lifecycle.referrers('offer', offer.id)).toEqual([{ what: 'campaigns', count: 1, names: [campaign.name] }]);
    expect(await lifecycle.referrers('trafficSource', source.id)).toEqual([{ what: 'campaigns', count: 1, names: [campaign.name] }]);
    expect(await lifecycle.referrers('campaign', campaign.id)).toEqual([]);

    await new OfferRepository(db.client).setGoal(offer.id, 'rebill', true);
    const copyId = (await lifecycle.clone('offer', offer.id))!;
    const copy = (await new OfferRepository(db.client).get(copyId))!;
    expect(copy).toMatchObject({ name: `${offer.name} (copy)`, networkId: offer.networkId, url: offer.url, payout: offer.payout, version: 1 });
    expect(await new OfferRepository(db.client).listGoals(copyId)).toEqual([{ goal: 'rebill', manyPerClick: true }]);

    expect(await lifecycle.delete('offer', copyId)).toBe(true);
    expect(await new OfferRepository(db.client).get(copyId)).toBeUndefined();
  });

  it("stores a paused campaign's clicks apart: out of the rollups, counted as pausedClicks", async () => {
    const { campaign } = await seedCampaign(db.client, { costModel: 'cpc', costValue: '0.5' });
    const clicks = new ClickRepository(db.client);
    const now = Date.now();
    await clicks.insertMany([
      { id: newClickId(now), campaignId: campaign.id, subs: {}, createdAt: new Date(now) },
      { id: newClickId(now + 1), campaignId: campaign.id, subs: {}, createdAt: new Date(now + 1), paused: true },
      { id: newClickId(now + 2), campaignId: campaign.id, subs: {}, createdAt: new Date(now + 2), paused: true },
    ]);
    const { rows } = await db.client.query<{ clicks: number }>(`SELECT sum(clicks)::int AS clicks FROM click_totals WHERE campaign_id = $1 AND grain = 86400`, [
      campaign.id,
    ]);
    expect(rows[0].clicks).toBe(1);
    expect((await new CampaignRepository(db.client).get(campaign.id))!.pausedClicks).toBe(2);
    expect(await new LifecycleRepository(db.client).referrers('campaign', campaign.id)).toEqual(
      expect.arrayContaining([{ what: 'clicks', count: 3, names: [] }]),
    );
  });

  it("leaves a paused campaign's clicks out of sub-id reports read from raw clicks too (the part of a day not in the rollups)", async () => {
    const { campaign } = await seedCampaign(db.client, { costModel: 'cpc', costValue: '0.5' });
    const quarter = 15 * 60_000;
    const from = Math.floor(Date.now() / quarter) * quarter - 4 * quarter;
    await new ClickRepository(db.client).insertMany([
      { id: newClickId(from + 1), campaignId: campaign.id, subs: { sub1: 'zone-p' }, createdAt: new Date(from + 1) },
      { id: newClickId(from + 2), campaignId: campaign.id, subs: { sub1: 'zone-p' }, createdAt: new Date(from + 2), paused: true },
      { id: newClickId(from + 3), campaignId: campaign.id, subs: { sub1: 'zone-p' }, createdAt: new Date(from + 3), paused: true },
    ]);
    const stats = new StatsRepository(db.client);
    // Two hours: less than a day, so the sub-id report reads these clicks from the clicks table, not the rollups.
    for (const scope of [{}, { allowedCampaignIds: [campaign.id] }]) {
      const groups = await stats.groups({
        from: new Date(from),
        to: new Date(from + 8 * quarter),
        tz: 'Asia/Kathmandu',
        groupBy: ['sub1'],
        filters: { campaign: [campaign.id] },
        attributeBy: 'click',
        currency: 'USD',
        ...scope,
      });
      expect(groups.map((g) => [g.keys.sub1, Number(g.sums.clicks), Number(g.sums.uniqueClicks)])).toEqual([['zone-p', 1, 1]]);
    }
  });

  it('keeps an audit log, filtered and paged with its total', async () => {
    const audit = new AuditLogRepository(db.client);
    const entity = `e-${driver}`;
    const actor = { type: 'api_key' as const, id: 'k1', label: 'ops key' };
    await audit.record([
      { actor, entityType: 'campaign', entityId: entity, action: 'create', before: null, after: { name: 'A' } },
      { actor, entityType: 'campaign', entityId: entity, action: 'edit', before: { name: 'A' }, after: { name: 'B' } },
      { actor: { type: 'user', id: 'u1', label: 'a@example.com' }, entityType: 'campaign', entityId: entity, action: 'pause', before: null, after: null },
    ]);
    const page = await audit.list({ entityType: 'campaign', entityId: entity, limit: 2, offset: 0 });
    expect(page.total).toBe(3);
    expect(page.items.map((i) => i.action)).toEqual(['pause', 'edit']);
    expect(page.items[1]).toMatchObject({ actor, before: { name: 'A' }, after: { name: 'B' } });
    expect((await audit.list({ entityId: entity, actorId: 'u1', limit: 10, offset: 0 })).total).toBe(1);
    expect((await audit.list({ entityId: entity, from: new Date(Date.now() + 60_000), limit: 10, offset: 0 })).total).toBe(0);
  });
});
