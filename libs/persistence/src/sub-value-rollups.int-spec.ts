import { fromMicros, newClickId, toMicros, WEEK_GRAIN } from '@postwire/core';
import { ClickRepository } from './repositories/click.repository';
import { PostbackRecorder } from './repositories/postback-recorder';
import { rebuildReportRollups } from './repositories/report-rollups';
import { StatsRepository, type StatsQuery } from './repositories/stats.repository';
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

/**
 * The conversion side of sub_value_rollups (migration 033): a report by sub1 over all campaigns,
 * conversions at their click's time, equals a count by hand of the stored clicks and conversions with
 * nothing, some or all of its buckets written, and after a status move, a late conversion or one in
 * another currency made written buckets stale; writing them again only rewrites their conversions.
 */
describe.each(BOTH_DRIVERS)('sub_value_rollups conversion figures on %s', (driver) => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await openTestDatabase(driver);
  }, 60_000);

  afterAll(async () => {
    await db?.drop();
  });

  it('answer exactly while buckets are missing, current or stale, and are written again', async () => {
    const { campaign } = await seedCampaign(db.client, { costModel: 'cpa', costValue: '1.5' });
    const clicks = new ClickRepository(db.client);
    const recorder = new PostbackRecorder(db.client);
    // 9 days from a Monday: one whole ISO week and two days after it.
    const at = (i: number) => new Date(START + ((i * 7919) % (9 * 24)) * 3_600_000 + (i % 60) * 60_000);
    const stored = Array.from({ length: 120 }, (_, i) => ({
      id: newClickId(at(i).getTime()),
      campaignId: campaign.id,
      subs: { sub1: `z${i % 7}` },
      createdAt: at(i),
    }));
    await clicks.insertMany(stored);
    /** Conversions by click index: what the hand count adds up. */
    const conversions = new Map<number, { status: 'approved' | 'pending' | 'declined'; payout: string; currency: string; txid: string }>();
    const record = async (i: number, status: 'approved' | 'pending' | 'declined', payout: string, currency = 'USD') => {
      const txid = conversions.get(i)?.txid ?? `t${i}`;
      conversions.set(i, { status, payout, currency, txid });
      const result = await recorder.record({
        channel: 's2s',
        clickId: stored[i].id,
        params: {},
        txid,
        goal: '',
        payout,
        revenue: '10',
        currency,
        status,
        receivedAt: new Date(stored[i].createdAt.getTime() + 3_600_000),
      });
      expect(result.outcome).not.toBe('rejected');
    };
    for (let i = 0; i < 120; i += 3) await record(i, i % 2 ? 'approved' : 'pending', i % 4 ? '2.5' : '0.333333');

    const stats = new StatsRepository(db.client);
    const query: StatsQuery = {
      from: new Date(START),
      to: new Date(START + 9 * DAY),
      tz: 'UTC',
      groupBy: ['sub1'],
      filters: {},
      attributeBy: 'click',
      currency: 'USD',
    };
    /** The report's figures per sub1 value, and the same counted by hand from what was stored (every conversion in USD here). */
    const check = async () => {
      const want = new Map<string, { clicks: number; approved: number; pending: number; declined: number; payout: bigint; cost: bigint }>();
      const row = (v: string) => want.get(v) ?? want.set(v, { clicks: 0, approved: 0, pending: 0, declined: 0, payout: 0n, cost: 0n }).get(v)!;
      stored.forEach((c) => (row(c.subs.sub1).clicks += 1));
      for (const [i, cv] of conversions) {
        const r = row(stored[i].subs.sub1);
        r[cv.status] += 1;
        if (cv.status !== 'declined') {
          r.payout += toMicros(cv.payout);
          r.cost += toMicros('1.5');
        }
      }
      const got = await stats.groups(query);
      expect(
        Object.fromEntries(
          got.map((g) => [
            g.keys.sub1,
            {
              clicks: Number(g.sums.clicks),
              approved: Number(g.sums.approved),
              pending: Number(g.sums.pending),
              declined: Number(g.sums.declined),
              payout: g.sums.payout,
              cost: g.sums.cost,
            },
          ]),
        ),
      ).toEqual(Object.fromEntries(want));
    };
    const rollups = new SubValueRollups(db.client);
    const before = new Date(START + 40 * DAY);

    await check(); // nothing written
    expect(await rollups.compactPending(before, { max: 2 })).toBe(2);
    await check(); // some
    expect(await rollups.compactPending(before)).toBe(9 + 2 - 2); // 9 days, 2 weeks
    await check(); // all
    const { rows: week } = await db.client.query<{ approved: string; pending: string; payout: string }>(
      `SELECT sum(approved)::text AS approved, sum(pending)::text AS pending, sum(payout)::text AS payout FROM sub_value_conversions WHERE sub = 1 AND grain = $1 AND bucket = $2`,
      [WEEK_GRAIN, new Date(START)],
    );
    const inWeek = [...conversions].filter(([i]) => stored[i].createdAt.getTime() < START + 7 * DAY).map(([, cv]) => cv);
    expect(week[0]).toEqual({
      approved: String(inWeek.filter((c) => c.status === 'approved').length),
      pending: String(inWeek.filter((c) => c.status === 'pending').length),
      payout: fromMicros(inWeek.reduce((s, c) => s + toMicros(c.payout), 0n)),
    });

    // A late conversion in the first week: its click's day and the week are stale for conversions only. /health's
    // count (progress) counts them as the compaction sees them (pending), not as written and current.
    expect(await rollups.progress(before)).toEqual({ done: 11, pending: 0 });
    const bare = stored.findIndex((c, i) => !conversions.has(i) && c.createdAt.getTime() < START + 7 * DAY);
    await record(bare, 'declined', '1');
    const lateDay = new Date(Math.floor(stored[bare].createdAt.getTime() / DAY) * DAY);
    expect((await rollups.pending(before, 10)).map((s) => [s.grain, s.bucket.toISOString()])).toEqual([
      [86_400, lateDay.toISOString()],
      [WEEK_GRAIN, new Date(START).toISOString()],
    ]);
    expect(await rollups.progress(before)).toEqual({ done: 9, pending: 2 });
    // And a status move in the same week.
    const first = stored.findIndex((c, i) => conversions.get(i)?.status === 'pending' && c.createdAt.getTime() < START + 7 * DAY);
    await record(first, 'approved', '7');
    const stale = await rollups.pending(before, 10);
    expect(stale.map((s) => s.grain)).toContain(WEEK_GRAIN);
    await check(); // stale: read raw, exact
    // Only the conversion rows are written again: the week's click rows are the same row versions.
    const clickRows = async () =>
      (
        await db.client.query<{ v: string }>(`SELECT xmin::text AS v FROM sub_value_rollups WHERE grain = $1 AND bucket = $2 ORDER BY sub, value`, [
          WEEK_GRAIN,
          new Date(START),
        ])
      ).rows;
    const clickRowsBefore = await clickRows();
    expect(await rollups.compactPending(before)).toBe(stale.length);
    expect(await rollups.pending(before, 10)).toEqual([]);
    await check(); // written again
    expect(await clickRows()).toEqual(clickRowsBefore);

    // A conversion in another currency: its buckets cannot answer in USD (no rate), the report reads them raw.
    const third = stored.findIndex((c, i) => !conversions.has(i) && c.createdAt.getTime() >= START + 7 * DAY);
    await record(third, 'declined', '3', 'EUR');
    expect(await rollups.compactPending(before)).toBeGreaterThan(0);
    const { rows: currencies } = await db.client.query<{ conversion_currencies: string[] }>(
      `SELECT conversion_currencies FROM sub_value_buckets WHERE grain = 86400 AND bucket = $1`,
      [new Date(Math.floor(stored[third].createdAt.getTime() / DAY) * DAY)],
    );
    expect([...currencies[0].conversion_currencies].sort()).toEqual(['EUR', 'USD']);
    await check();
  }, 120_000);
});
