import { newClickId } from '@postwire/core';
import type { SqlExecutor, SqlResult } from './client/sql-client';
import { openTestDatabase, type TestDatabase } from './test-support/databases';
import { seedCampaign } from './test-support/seed-campaign';
import { ClickRepository, type NewClick } from './repositories/click.repository';

interface PlanNode {
  'Rows Removed by Filter'?: number;
  Plans?: PlanNode[];
}

const rowsRemoved = (node: PlanNode): number => (node['Rows Removed by Filter'] ?? 0) + (node.Plans ?? []).reduce((n, p) => n + rowsRemoved(p), 0);

/**
 * A click's uniqueness is looked up by its visitor (index clicks_visitor), whatever the statistics say.
 * Once one visitor key dominated them (a flood from one visitor), the planner read the campaign's whole
 * last day through the (campaign_id, created_at) index for every click of a batch instead.
 */
describe('the uniqueness lookup of the click batch on postgres', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await openTestDatabase('postgres');
  }, 60_000);

  afterAll(async () => {
    await db?.drop();
  });

  it('reads the visitor index after a flood from one visitor, not every click of the day', async () => {
    const { campaign } = await seedCampaign(db.client);
    const repository = new ClickRepository(db.client);
    const click = (visitorKey: string): NewClick => {
      const at = Date.now();
      return {
        id: newClickId(at),
        campaignId: campaign.id,
        subs: {},
        createdAt: new Date(at),
        enrichment: { country: '', deviceType: '', os: '', browser: '', referrerDomain: null, visitorKey, cost: '0', costMissing: false },
      };
    };
    const flood = 4000;
    for (let i = 0; i < flood; i += 1000) await repository.insertMany(Array.from({ length: 1000 }, () => click('h:flood')));
    await db.client.query('ANALYZE clicks');

    let plan: PlanNode | undefined;
    const explaining: SqlExecutor = {
      query: async <T>(text: string, params?: readonly unknown[]): Promise<SqlResult<T>> => {
        const { rows } = await db.client.query<{ 'QUERY PLAN': Array<{ Plan: PlanNode }> }>(`EXPLAIN (ANALYZE, FORMAT JSON) ${text}`, params);
        plan = rows[0]['QUERY PLAN'][0].Plan;
        return { rows: [], rowCount: 0 };
      },
    };
    const visitors = 50;
    await new ClickRepository(explaining).insertMany(Array.from({ length: visitors }, (_, i) => click(`h:visitor-${i}`)));
    // Read plainly, each new visitor's lookup filtered out every flooded click: 50 × 4,000 rows.
    expect(rowsRemoved(plan!)).toBeLessThan(flood);
  });
});
