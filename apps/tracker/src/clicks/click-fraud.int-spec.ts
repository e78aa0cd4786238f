import { FraudScorer, newClickId } from '@postwire/core';
import { AsnDatabase } from '@postwire/security';
import { CampaignRepository, ClickRepository, FraudRepository, type NewClick } from '@postwire/persistence';
import { BOTH_DRIVERS, openTestDatabase, type TestDatabase } from '../../../../libs/persistence/src/test-support/databases';
import { seedCampaign } from '../../../../libs/persistence/src/test-support/seed-campaign';
import { ClickEnricher } from './click-enricher';

const GOOGLEBOT = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';
const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';

/** Clicks are scored in the writer's batch and stored with their score and reasons, under the campaign's policy as the route carries it. */
describe.each(BOTH_DRIVERS)('click fraud scoring on %s', (driver) => {
  let db: TestDatabase;
  let campaignId: string;
  const enricher = new ClickEnricher(new FraudScorer(new AsnDatabase()));

  beforeAll(async () => {
    db = await openTestDatabase(driver);
    campaignId = (await seedCampaign(db.client)).campaign.id;
    await new FraudRepository(db.client).setPolicy('campaign', campaignId, { blockedSubs: [{ param: 'sub2', values: ['zone-9'] }] });
  }, 60_000);

  afterAll(async () => {
    await db?.drop();
  });

  it('stores each click with its score and fired reasons', async () => {
    const route = await new CampaignRepository(db.client).getRoute(campaignId);
    expect(route!.fraudPolicy).toEqual({ blockedSubs: [{ param: 'sub2', values: ['zone-9'] }] });
    const at = new Date();
    const click = (userAgent: string, ip: string, subs: NewClick['subs'] = {}): NewClick => ({
      id: newClickId(at.getTime()),
      campaignId,
      subs,
      ip,
      userAgent,
      createdAt: at,
      raw: { fraudPolicy: route!.fraudPolicy },
    });
    const clicks = [click(GOOGLEBOT, '52.95.110.1'), click(CHROME, '81.2.69.142'), click(CHROME, '81.2.69.142', { sub2: 'zone-9' })];
    await new ClickRepository(db.client).insertMany(enricher.enrich(clicks));
    const { rows } = await db.client.query<{ id: string; fraud_score: number; fraud_reasons: string[] | null }>(
      `SELECT id, fraud_score, fraud_reasons FROM clicks WHERE id = ANY($1::text[])`,
      [clicks.map((c) => c.id)],
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(byId.get(clicks[0].id)).toMatchObject({ fraud_score: 100, fraud_reasons: ['bot_user_agent', 'datacenter_ip'] });
    expect(byId.get(clicks[1].id)).toMatchObject({ fraud_score: 0, fraud_reasons: null });
    expect(byId.get(clicks[2].id)).toMatchObject({ fraud_score: 100, fraud_reasons: ['blocked_sub'] });
  });
});
