import { newClickId, WEEK_GRAIN } from '@postwire/core';
import { ClickRepository } from './repositories/click.repository';
import { rebuildReportRollups } from './repositories/report-rollups';
import { SUB_ROLLUP_SUMS, SubValueRollups } from './repositories/sub-value-rollups';
import { BOTH_DRIVERS, openTestDatabase, type TestDatabase } from './test-support/databases';
import { seedCampaign } from './test-support/seed-campaign';

const DAY = 86_400_000;
/** Monday 2026-02-02: three whole ISO weeks and a few days after them. */
const START = Date.UTC(2026, 1, 2);
const DAYS = 24;

/**
 * The background fill of sub_value_rollups (migration 027): stopped after any number of buckets and
 * started again, it ends with exactly what sub_click_rollups sums to over campaigns; a click stored
 * into a written day makes the day and its week pending again, and writing them again is exact.
 */
describe.each(BOTH_DRIVERS)('sub_value_rollups backfill on %s', (driver) => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await openTestDatabase(driver);
  }, 60_000);

  afterAll(async () => {
    await db?.drop();
  });

  /** Per sub, grain, bucket and value: the figures as sub_value_rollups has them, and as sub_click_rollups sums them. */
  const both = async () => {
    const sums = SUB_ROLLUP_SUMS.map((c) => `sum(${c})::text AS ${c}`).join(', ');
    const order = 'ORDER BY 1, 2, 3, 4';
    const { rows: written } = await db.client.query(`SELECT sub, grain, bucket, value, ${sums} FROM sub_value_rollups GROUP BY 1, 2, 3, 4 ${order}`);
    const { rows: expected } = await db.client.query(
      `SELECT r.sub, g.grain, CASE g.grain WHEN 86400 THEN r.day ELSE to_timestamp(floor((extract(epoch FROM r.day) - 345600) / ${WEEK_GRAIN}) * ${WEEK_GRAIN} + 345600) END AS bucket,
              r.value, ${SUB_ROLLUP_SUMS.map((c) => `sum(r.${c})::text AS ${c}`).join(', ')}
       FROM sub_click_rollups r CROSS JOIN (VALUES (86400), (${WEEK_GRAIN})) AS g(grain) GROUP BY 1, 2, 3, 4 ${order}`,
    );
    return { written, expected };
  };

  it('resumes an interrupted fill, newest first, and ends exact; a late click is written again', async () => {
    const a = await seedCampaign(db.client, { costModel: 'cpc', costValue: '0.1' });
    const b = await seedCampaign(db.client, { costModel: 'cpc', costValue: '0.3' });
    const clicks = new ClickRepository(db.client);
    const at = (i: number) => new Date(START + ((i * 7919) % (DAYS * 24)) * 3_600_000 + (i % 60) * 60_000);
    // Stored bare, as an install from before 013's rollups had them, then rolled up by the rebuild.
    await clicks.insertMany(
      Array.from({ length: 600 }, (_, i) => ({
        id: newClickId(at(i).getTime()),
        campaignId: i % 3 ? a.campaign.id : b.campaign.id,
        subs: { sub1: `z${i % 17}`, ...(i % 4 ? { sub2: `p${i % 5}` } : {}) },
        createdAt: at(i),
      })),
    );
    await rebuildReportRollups(db.client, { from: new Date(START), to: new Date(START + DAYS * DAY) });

    const rollups = new SubValueRollups(db.client);
    const before = new Date(START + 40 * DAY);
    const total = (await rollups.progress(before)).pending;
    expect(total).toBe(DAYS + 4); // 24 days, and the 4 ISO weeks they touch
    // Interrupted twice: a pass stopped after 5 buckets, a new process (a new repository) after 7 more.
    expect(await rollups.compactPending(before, { max: 5 })).toBe(5);
    const first = await db.client.query<{ bucket: Date }>('SELECT bucket FROM sub_value_buckets ORDER BY bucket');
    expect(first.rows[0].bucket.getTime()).toBeGreaterThanOrEqual(START + 20 * DAY); // newest first
    expect(await new SubValueRollups(db.client).compactPending(before, { max: 7 })).toBe(7);
    expect(await rollups.progress(before)).toEqual({ done: 12, pending: total - 12 });
    expect(await rollups.compactPending(before)).toBe(total - 12);
    expect(await rollups.progress(before)).toEqual({ done: total, pending: 0 });
    let { written, expected } = await both();
    expect(written.length).toBeGreaterThan(0);
    expect(written).toEqual(expected);

    // A click stored late into a written day: that day and its week are pending again, and rewritten exactly.
    const late = new Date(START + 9 * DAY + 5 * 3_600_000);
    await clicks.insertMany([{ id: newClickId(late.getTime()), campaignId: a.campaign.id, subs: { sub1: 'late' }, createdAt: late }]);
    const stale = await rollups.pending(before, 10);
    expect(stale.map((s) => [s.grain, s.bucket.toISOString()])).toEqual([
      [86_400, new Date(START + 9 * DAY).toISOString()],
      [WEEK_GRAIN, new Date(START + 7 * DAY).toISOString()],
    ]); // newest first: the day starts after the week
    expect(await rollups.compactPending(before)).toBe(2);
    ({ written, expected } = await both());
    expect(written).toEqual(expected);
  }, 120_000);

  it('writes nothing that has not ended before the cut-off', async () => {
    const rollups = new SubValueRollups(db.client);
    expect(await rollups.pending(new Date(START), 10)).toEqual([]);
  });
});
