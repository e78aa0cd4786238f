import { newClickId } from '@postwire/core';
import type { SqlExecutor, SqlResult } from './client/sql-client';
import { openTestDatabase, type TestDatabase } from './test-support/databases';
import { seedCampaign } from './test-support/seed-campaign';
import { ClickRepository, type NewClick } from './repositories/click.repository';

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Actual Rows'?: number;
  'Actual Loops'?: number;
  'Rows Removed by Filter'?: number;
  'Rows Removed by Index Recheck'?: number;
  Plans?: PlanNode[];
}

/** Rows and index entries of `clicks` (any partition) the plan's scans went through, bitmaps included: returned, filtered out or rechecked, over all loops. */
function clickRowsRead(node: PlanNode): number {
  const own = /Scan/.test(node['Node Type']) && (node['Relation Name'] ?? node['Index Name'])?.startsWith('clicks') ? node : undefined;
  const read = own
    ? (own['Actual Rows'] ?? 0) * (own['Actual Loops'] ?? 1) + (own['Rows Removed by Filter'] ?? 0) + (own['Rows Removed by Index Recheck'] ?? 0)
    : 0;
  return read + (node.Plans ?? []).reduce((n, p) => n + clickRowsRead(p), 0);
}

/**
 * A click's uniqueness is looked up in the visitor index, one entry deep, whatever the statistics say.
 * Once one visitor key dominated them (a flood from one visitor), the planner read the campaign's whole
 * last day per click through the (campaign_id, created_at) index, and a bitmap of the flooding visitor's
 * whole day per batch (click.repository.ts).
 */
describe('the uniqueness lookup of the click batch on postgres', () => {
  let db: TestDatabase;
  const flood = 4000;
  let click: (visitorKey: string) => NewClick;

  beforeAll(async () => {
    db = await openTestDatabase('postgres');
    const { campaign } = await seedCampaign(db.client);
    click = (visitorKey) => {
      const at = Date.now();
      return {
        id: newClickId(at),
        campaignId: campaign.id,
        subs: {},
        createdAt: new Date(at),
        enrichment: { country: '', deviceType: '', os: '', browser: '', referrerDomain: null, visitorKey, cost: '0', costMissing: false },
      };
    };
    const repository = new ClickRepository(db.client);
    for (let i = 0; i < flood; i += 1000) await repository.insertMany(Array.from({ length: 1000 }, () => click('h:flood')));
    await db.client.query('ANALYZE clicks');
  }, 60_000);

  afterAll(async () => {
    await db?.drop();
  });

  /** Stores `clicks` through the repository's own statement, run under EXPLAIN ANALYZE; returns the rows of clicks it read. */
  async function rowsReadStoring(clicks: NewClick[]): Promise<number> {
    let read = -1;
    const explaining: SqlExecutor = {
      query: async <T>(text: string, params?: readonly unknown[]): Promise<SqlResult<T>> => {
        const { rows } = await db.client.query<{ 'QUERY PLAN': Array<{ Plan: PlanNode }> }>(`EXPLAIN (ANALYZE, FORMAT JSON) ${text}`, params);
        read = clickRowsRead(rows[0]['QUERY PLAN'][0].Plan);
        return { rows: [], rowCount: 0 };
      },
    };
    await new ClickRepository(explaining).insertMany(clicks);
    return read;
  }

  it('reads a few entries for a batch of new visitors, not every click of the day per visitor', async () => {
    // Read through the (campaign_id, created_at) index, each of the 50 lookups went through the 4,000 flooded clicks.
    expect(await rowsReadStoring(Array.from({ length: 50 }, (_, i) => click(`h:visitor-${i}`)))).toBeLessThan(flood / 10);
  });

  it("reads one entry for the flooding visitor's next batch, not a bitmap of its day", async () => {
    expect(await rowsReadStoring(Array.from({ length: 50 }, () => click('h:flood')))).toBeLessThan(flood / 10);
  });
});
