import { newClickId } from '@postwire/core';
import { ClickRepository } from './repositories/click.repository';
import { PostbackRecorder } from './repositories/postback-recorder';
import { rebuildReportRollups } from './repositories/report-rollups';
import { SubValueRollups } from './repositories/sub-value-rollups';
import { BOTH_DRIVERS, openTestDatabase, type TestDatabase } from './test-support/databases';
import { seedCampaign } from './test-support/seed-campaign';

const ROLLUP_TABLES = ['click_rollups', 'click_totals', 'sub_click_rollups', 'conversion_rollups', 'conversion_totals'];
const DAY = 86_400_000;

/** rebuildReportRollups gives the rollups the write path keeps, and makes bare clicks reportable. */
describe.each(BOTH_DRIVERS)('rebuildReportRollups on %s', (driver) => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await openTestDatabase(driver);
  }, 60_000);

  afterAll(async () => {
    await db?.drop();
  });

  const snapshot = async () => {
    const out: Record<string, unknown[]> = {};
    for (const table of ROLLUP_TABLES) {
      // Rows summing to nothing (a status move takes figures back out) are not told apart from missing rows by reports.
      const { rows } = await db.client.query<Record<string, unknown>>(`SELECT * FROM ${table}`);
      out[table] = rows
        .filter((r) => Object.entries(r).some(([k, v]) => /clicks|approved|pending|declined|refunded/.test(k) && Number(v) !== 0))
        // conversion_totals.changes counts writes, not figures (migration 033): rows written anew by a rebuild
        // start at 1, and the rebuild forgets the value buckets that stored the old sums.
        .map((r) =>
          JSON.stringify(
            Object.entries(r)
              .filter(([k]) => k !== 'changes')
              .sort(([a], [b]) => (a < b ? -1 : 1)),
          ),
        )
        .sort();
    }
    return out;
  };

  it('rebuilds to what the click writer and the postback recorder wrote, and fills bare clicks in', async () => {
    const { campaign } = await seedCampaign(db.client, { costModel: 'cpc', costValue: '0.25' });
    const clicks = new ClickRepository(db.client);
    const start = Date.UTC(2026, 2, 1, 22, 50);
    const ids = Array.from({ length: 12 }, (_, i) => newClickId(start + i * 37 * 60_000));
    await clicks.insertMany(
      ids.map((id, i) => ({
        id,
        campaignId: campaign.id,
        subs: { sub1: `z${i % 3}`, ...(i % 2 ? { sub2: 'p' } : {}) },
        createdAt: new Date(start + i * 37 * 60_000),
        enrichment: {
          country: i % 2 ? 'US' : 'DE',
          deviceType: '',
          os: '',
          browser: '',
          referrerDomain: null,
          visitorKey: `v${i % 5}`,
          cost: '0.25',
          costMissing: false,
        },
      })),
    );
    const recorder = new PostbackRecorder(db.client);
    for (const [k, status] of [
      [0, 'approved'],
      [5, 'pending'],
    ] as const)
      await recorder.record({ channel: 's2s', clickId: ids[k], params: {}, txid: `t${k}`, status, payout: '3.5', receivedAt: new Date(start + DAY) });
    await recorder.record({
      channel: 's2s',
      clickId: ids[5],
      params: {},
      txid: 't5',
      status: 'declined',
      payout: '3.5',
      receivedAt: new Date(start + DAY + 60_000),
    });

    const written = await snapshot();
    expect(written.sub_click_rollups.length).toBeGreaterThan(0);
    await rebuildReportRollups(db.client, { from: new Date(start - DAY), to: new Date(start + 3 * DAY) });
    expect(await snapshot()).toEqual(written);

    // Clicks stored bare (the bench's generator) count once rebuilt.
    const bare = newClickId(start + 2 * DAY);
    await clicks.insertMany([{ id: bare, campaignId: campaign.id, subs: { sub1: 'z9' }, createdAt: new Date(start + 2 * DAY) }], { rollups: false });
    await rebuildReportRollups(db.client, { from: new Date(start + 2 * DAY), to: new Date(start + 2 * DAY + 1) });
    const { rows } = await db.client.query<{ clicks: number }>(`SELECT clicks FROM sub_click_rollups WHERE sub = 1 AND value = 'z9'`);
    expect(rows).toEqual([{ clicks: 1 }]);
  });
  it('forgets the sub-id value buckets of the days it rebuilds, so no mark written before it is compared with counts written after', async () => {
    const { campaign } = await seedCampaign(db.client);
    const monday = Date.UTC(2026, 4, 4);
    await new ClickRepository(db.client).insertMany([
      { id: newClickId(monday + 3_600_000), campaignId: campaign.id, subs: { sub1: 'z' }, createdAt: new Date(monday + 3_600_000) },
    ]);
    expect(await new SubValueRollups(db.client).compactPending(new Date(monday + 10 * DAY))).toBeGreaterThan(0);
    const marks = async () =>
      (
        await db.client.query<{ n: number }>(`SELECT count(*)::int AS n FROM sub_value_buckets WHERE bucket >= $1 AND bucket < $2`, [
          new Date(monday),
          new Date(monday + DAY),
        ])
      ).rows[0].n;
    expect(await marks()).toBe(2); // the day and its ISO week
    await rebuildReportRollups(db.client, { from: new Date(monday), to: new Date(monday + DAY) });
    expect(await marks()).toBe(0);
  });
});
