import { clickIdTime, newClickId } from '@postwire/core';
import { CLICKS, PARTITION_DAYS_AHEAD } from './partitions/partitioned-tables';
import { dayPartitionName, defaultPartitionName, startOfUtcDay, TimePartitions } from './partitions/time-partitions';
import { clickByIdSql, clickIdRange, ClickRepository } from './repositories/click.repository';
import { BOTH_DRIVERS, openTestDatabase, type TestDatabase } from './test-support/databases';
import { seedCampaign } from './test-support/seed-campaign';

const DAY = 86_400_000;

/** Clicks in daily partitions: made ahead, a default for the rest, lookups by id across them, retention by dropping them. */
describe.each(BOTH_DRIVERS)('click partitions on %s', (driver) => {
  let db: TestDatabase;
  let campaignId: string;
  let clicks: ClickRepository;
  let partitions: TimePartitions;
  const today = startOfUtcDay(new Date()).getTime();
  // One click per place a row can land: today, a day inside the window ahead, far ahead, far back.
  const at = { today: today + 3_600_000, ahead: today + 3 * DAY + 60_000, future: today + 40 * DAY, past: today - 400 * DAY };
  const ids = Object.fromEntries(Object.entries(at).map(([k, t]) => [k, newClickId(t)])) as Record<keyof typeof at, string>;

  const whereIs = async (id: string) =>
    (await db.client.query<{ p: string }>(`SELECT tableoid::regclass::text AS p FROM clicks WHERE id = $1`, [id])).rows.map((r) => r.p);

  beforeAll(async () => {
    db = await openTestDatabase(driver);
    campaignId = (await seedCampaign(db.client)).campaign.id;
    clicks = new ClickRepository(db.client);
    partitions = new TimePartitions(db.client, CLICKS);
    await clicks.insertMany(Object.entries(at).map(([k, t]) => ({ id: ids[k as keyof typeof at], campaignId, subs: { sub1: k }, createdAt: new Date(t) })));
  }, 60_000);

  afterAll(async () => {
    await db?.drop();
  });

  it('a new database has clicks partitioned by day from today to the days ahead, and a default partition', async () => {
    expect(await partitions.isPartitioned()).toBe(true);
    const names = (await partitions.list()).map((p) => p.name);
    for (let d = 0; d <= PARTITION_DAYS_AHEAD; d++) expect(names).toContain(dayPartitionName('clicks', new Date(today + d * DAY)));
    expect(names).toContain(defaultPartitionName('clicks'));
    const { rows } = await db.client.query<{ def: string }>(
      `SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conrelid = 'clicks'::regclass AND contype = 'p'`,
    );
    expect(rows[0].def).toBe('PRIMARY KEY (id, created_at)');
  });

  it('puts each click into the partition of its day, and clicks beyond every partition into the default one', async () => {
    expect(await whereIs(ids.today)).toEqual([dayPartitionName('clicks', new Date(today))]);
    expect(await whereIs(ids.ahead)).toEqual([dayPartitionName('clicks', new Date(today + 3 * DAY))]);
    expect(await whereIs(ids.future)).toEqual(['clicks_default']);
    expect(await whereIs(ids.past)).toEqual(['clicks_default']);
  });

  it('finds a click by id in whichever partition holds it, also one stored with another time than its id', async () => {
    for (const [key, id] of Object.entries(ids)) expect(await clicks.get(id)).toMatchObject({ id, subs: { sub1: key } });
    const skewed = newClickId(today - 5 * DAY);
    await clicks.insertMany([{ id: skewed, campaignId, subs: { sub1: 'skewed' }, createdAt: new Date(today + 2 * DAY) }]);
    expect(await clicks.get(skewed)).toMatchObject({ id: skewed, subs: { sub1: 'skewed' } });
    expect(await clicks.get(newClickId(today))).toBeUndefined();
    // A retried batch (same id and time) is not stored twice.
    await clicks.insertMany([{ id: ids.ahead, campaignId, subs: { sub1: 'again' }, createdAt: new Date(at.ahead) }]);
    expect(await whereIs(ids.ahead)).toHaveLength(1);
  });

  it('finds a click whose id is not of Postwire’s form (imported from another tracker) in every partition, alone or in a batch', async () => {
    const foreign = 'imported-click-0042';
    await clicks.insertMany([{ id: foreign, campaignId, subs: { sub1: 'foreign' }, createdAt: new Date(today - 3 * DAY) }]);
    expect(await clicks.get(foreign)).toMatchObject({ id: foreign, subs: { sub1: 'foreign' } });
    const { rows } = await db.client.query<{ id: string }>(
      `SELECT c.id FROM unnest($1::text[]) AS r(click_id) JOIN LATERAL ${clickByIdSql('r.click_id', 'id', ['$2', '$3'])} c ON true ORDER BY 1`,
      [[foreign, ids.today], ...clickIdRange([foreign, ids.today])],
    );
    expect(rows.map((r) => r.id)).toEqual([foreign, ids.today].sort());
    // The retention test below counts every row.
    await db.client.query(`DELETE FROM clicks WHERE id = $1`, [foreign]);
  });

  it('reads a click id’s time in SQL as libs/core does, and looks a batch of ids up through their own partitions only', async () => {
    const { rows } = await db.client.query<{ t: Date; none: Date | null }>(`SELECT click_id_time($1) AS t, click_id_time('not-a-click-id') AS none`, [
      ids.ahead,
    ]);
    expect(rows[0]).toEqual({ t: clickIdTime(ids.ahead), none: null });
    const lookup = `SELECT c.id FROM unnest($1::text[]) AS r(click_id) JOIN LATERAL ${clickByIdSql('r.click_id')} c ON true`;
    const keys = [ids.today, ids.ahead, newClickId(at.ahead)];
    expect((await db.client.query<{ id: string }>(lookup, [keys])).rows.map((r) => r.id).sort()).toEqual([ids.today, ids.ahead].sort());
    const plan = (await db.client.query<Record<string, string>>(`EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) ${lookup}`, [keys])).rows
      .map((r) => Object.values(r)[0])
      .join('\n');
    // Pruned at run time: of the nine partitions, only those within an hour of a key's id time were read;
    // PostgreSQL marks the others `never executed`.
    const probes = plan.split('\n').filter((line) => / on clicks_\w+/.test(line));
    expect(probes).toHaveLength(PARTITION_DAYS_AHEAD + 2);
    const read = probes.filter((line) => !line.includes('never executed')).map((line) => / on (clicks_\w+)/.exec(line)![1]);
    expect(read.length).toBeLessThanOrEqual(3);
    expect(read).toContain(dayPartitionName('clicks', new Date(today + 3 * DAY)));
    expect(read).not.toContain(dayPartitionName('clicks', new Date(today + 6 * DAY)));
  });

  it('making partitions ahead of a later day moves the rows the default partition took for it', async () => {
    const created = await partitions.ensureAhead(new Date(at.future), 1);
    const futureDay = dayPartitionName('clicks', startOfUtcDay(new Date(at.future)));
    expect(created).toEqual([futureDay, dayPartitionName('clicks', new Date(startOfUtcDay(new Date(at.future)).getTime() + DAY))]);
    expect(await whereIs(ids.future)).toEqual([futureDay]);
    expect(await partitions.ensureAhead(new Date(at.future), 1)).toEqual([]);
  });

  it('retention drops exactly the partitions wholly before the line and deletes only the default partition’s old rows', async () => {
    const before = (await partitions.list()).map((p) => p.name);
    const count = await clicks.count();
    // The line falls inside the day after tomorrow: that day's partition straddles it and stays.
    const cutoff = new Date(today + 2 * DAY + 3_600_000);
    const result = await partitions.dropBefore(cutoff);
    expect(result.dropped.sort()).toEqual([dayPartitionName('clicks', new Date(today)), dayPartitionName('clicks', new Date(today + DAY))].sort());
    expect(result.deleted).toBe(1);
    const after = (await partitions.list()).map((p) => p.name);
    expect(after.sort()).toEqual(before.filter((n) => !result.dropped.includes(n)).sort());
    // The dropped tables are gone, not just detached.
    const { rows } = await db.client.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_class WHERE relname = ANY ($1::text[])`, [result.dropped]);
    expect(rows[0].n).toBe(0);
    // Gone: today's click and the one 400 days back; the skewed click (stored for today + 2 days) and the rest stay.
    expect(await clicks.count()).toBe(count - 2);
    expect(await clicks.get(ids.today)).toBeUndefined();
    expect(await clicks.get(ids.past)).toBeUndefined();
    for (const id of [ids.ahead, ids.future]) expect(await clicks.get(id)).toMatchObject({ id });
    expect(await partitions.dropBefore(cutoff)).toEqual({ dropped: [], deleted: 0 });
  });
});
