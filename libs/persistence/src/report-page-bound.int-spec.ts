import { StatsRepository } from './repositories/stats.repository';
import { BOTH_DRIVERS, openTestDatabase, type TestDatabase } from './test-support/databases';
import { seedCampaign } from './test-support/seed-campaign';

const GROUPS = 100_000;
const DAY = Date.UTC(2026, 4, 10);

/**
 * A report with 100 000 groups and a page of 10 hands the tracker 10 rows: grouping, sorting and
 * cutting happen in the database, and the totals and the number of groups still cover every row.
 */
describe.each(BOTH_DRIVERS)('a report page over %s', (driver) => {
  let db: TestDatabase;
  let campaignId: string;

  beforeAll(async () => {
    db = await openTestDatabase(driver);
    campaignId = (await seedCampaign(db.client)).campaign.id;
    // One click per sub1 value on one UTC day: the sub-id day rollup rows such clicks make (report-rollups.int-spec.ts holds the rollups to the clicks).
    await db.client.query(
      `INSERT INTO sub_click_rollups (sub, day, campaign_id, value, clicks, unique_clicks, cost, clicks_without_cost)
       SELECT 1, $2, $1, 'zone-' || i, 1, 1, (i % 7) * 0.01, 0 FROM generate_series(1, ${GROUPS}) AS g(i)`,
      [campaignId, new Date(DAY)],
    );
  }, 120_000);

  afterAll(async () => {
    await db?.drop();
  });

  it('returns 10 of 100 000 groups, sorted, with totals over all of them', async () => {
    const page = await new StatsRepository(db.client).page(
      { from: new Date(DAY), to: new Date(DAY + 86_400_000), tz: 'UTC', groupBy: ['sub1'], filters: {}, attributeBy: 'click', currency: 'USD' },
      { sort: [{ column: 'cost', descending: true }], limit: 10, offset: 20 },
    );
    expect(page.totalRows).toBe(GROUPS);
    expect(page.groups).toHaveLength(10);
    expect(page.totals.clicks).toBe(BigInt(GROUPS));
    // Click i costs (i mod 7) cents.
    let cents = 0;
    for (let i = 1; i <= GROUPS; i++) cents += i % 7;
    expect(page.totals.cost).toBe(BigInt(cents) * 10_000n);
    // The most expensive clicks cost 0.06 (i ≡ 6 mod 7); ties by the key in byte order: zone-100…, zone-10003, ….
    expect(page.groups.every((g) => g.sums.cost === 60_000n)).toBe(true);
    const sixes = Array.from({ length: GROUPS }, (_, k) => k + 1)
      .filter((i) => i % 7 === 6)
      .map((i) => `zone-${i}`)
      .sort();
    expect(page.groups.map((g) => g.keys.sub1)).toEqual(sixes.slice(20, 30));
  });
});
