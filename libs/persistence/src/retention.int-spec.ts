import { newClickId } from '@postwire/core';
import { ClickRetention } from './partitions/click-retention';
import { ClickRepository } from './repositories/click.repository';
import { PostbackRecorder } from './repositories/postback-recorder';
import { ReportRepository } from './repositories/report.repository';
import { StatsRepository } from './repositories/stats.repository';
import { BOTH_DRIVERS, openTestDatabase, type TestDatabase } from './test-support/databases';
import { seedCampaign } from './test-support/seed-campaign';

/** Click retention removes raw clicks (old rows of the default partition here); the report for their days and their conversions stay. */
describe.each(BOTH_DRIVERS)('click retention on %s', (driver) => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await openTestDatabase(driver);
  }, 60_000);

  afterAll(async () => {
    await db?.drop();
  });

  it('deletes old clicks while reports and conversions keep their figures', async () => {
    const { campaign } = await seedCampaign(db.client, { costModel: 'cpc', costValue: '0.1' });
    const clicks = new ClickRepository(db.client);
    const old = Date.now() - 10 * 86_400_000;
    const oldIds = [newClickId(old), newClickId(old + 1000), newClickId(old + 2000)];
    await clicks.insertMany(
      oldIds.map((id, i) => ({
        id,
        campaignId: campaign.id,
        subs: { sub1: 's' },
        createdAt: new Date(old + i * 1000),
        enrichment: { country: 'US', deviceType: 'mobile', os: '', browser: '', referrerDomain: null, visitorKey: `v${i}`, cost: '0.1', costMissing: false },
      })),
    );
    const fresh = newClickId();
    await clicks.insertMany([{ id: fresh, campaignId: campaign.id, subs: {}, createdAt: new Date() }]);
    const recorded = await new PostbackRecorder(db.client).record({
      channel: 's2s',
      clickId: oldIds[0],
      params: {},
      txid: 'r1',
      status: 'approved',
      payout: '7',
      receivedAt: new Date(old + 60_000),
    });
    expect(recorded.outcome).toBe('accepted');

    const stats = new StatsRepository(db.client);
    const query = {
      from: new Date(old - 86_400_000),
      to: new Date(Date.now() + 86_400_000),
      tz: 'UTC',
      groupBy: ['campaign' as const],
      filters: {},
      attributeBy: 'click' as const,
      currency: 'USD',
    };
    const before = await stats.groups(query);

    expect(await new ClickRetention(db.client).apply(new Date(Date.now() - 86_400_000))).toEqual({ dropped: [], deleted: 3 });
    expect(await clicks.count(campaign.id)).toBe(1);
    const after = await stats.groups(query);
    expect(after).toEqual(before);
    expect(after[0].sums).toMatchObject({ clicks: 4n, approved: 1n, payout: 7_000_000n, cost: 300_000n });
    const conversion = (await new ReportRepository(db.client).listConversions({ clickId: oldIds[0] }))[0];
    expect(conversion).toMatchObject({ status: 'approved', payout: '7.000000' });
  });
});
