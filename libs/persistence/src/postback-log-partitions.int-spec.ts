import { newClickId } from '@postwire/core';
import { isPartitionedLog } from './partitions/postback-log-conversion';
import { POSTBACK_LOG_EXPIRING, POSTBACK_LOG_KEPT } from './partitions/postback-log-partitions';
import { dayPartitionName, defaultPartitionName, startOfUtcDay, TimePartitions } from './partitions/time-partitions';
import { ClickRepository } from './repositories/click.repository';
import { PostbackLogRepository } from './repositories/postback-log.repository';
import { PostbackLogRetention } from './repositories/postback-log-retention';
import { PostbackRecorder, type InboundConversion } from './repositories/postback-recorder';
import { Reattributor } from './repositories/reattributor';
import { BOTH_DRIVERS, openTestDatabase, type TestDatabase } from './test-support/databases';
import { seedCampaign } from './test-support/seed-campaign';

const DAY = 86_400_000;
const HOUR = 3_600_000;

/**
 * The postback log in partitions (docs/storage.md#the-postback-log): rows that book nothing in daily
 * partitions that retention drops whole, a conversion's history on a side that is never dropped, and
 * the reattributor's update moving a row from one side to the other.
 */
describe.each(BOTH_DRIVERS)('postback log partitions on %s', (driver) => {
  let db: TestDatabase;
  let campaignId: string;
  let clicks: ClickRepository;
  let recorder: PostbackRecorder;
  const today = startOfUtcDay(new Date()).getTime();
  /** Days far enough back to be past a 30-day retention, each with a partition of its own. */
  const oldDay = today - 40 * DAY;
  const day = (t: number) => dayPartitionName(POSTBACK_LOG_EXPIRING.table, new Date(startOfUtcDay(new Date(t))));

  const whereIs = async (clickId: string) =>
    (await db.client.query<{ p: string }>(`SELECT tableoid::regclass::text AS p FROM postbacks WHERE click_id = $1 ORDER BY 1`, [clickId])).rows.map(
      (r) => r.p,
    );
  const postback = (clickId: string, receivedAt: number, extra: Partial<InboundConversion> = {}): InboundConversion => ({
    channel: 's2s',
    clickId,
    params: { click_id: clickId },
    receivedAt: new Date(receivedAt),
    ...extra,
  });
  async function click(at: number): Promise<string> {
    const id = newClickId(at);
    await clicks.insertMany([{ id, campaignId, externalId: 'ext', subs: {}, createdAt: new Date(at) }]);
    return id;
  }

  beforeAll(async () => {
    db = await openTestDatabase(driver);
    campaignId = (await seedCampaign(db.client)).campaign.id;
    clicks = new ClickRepository(db.client);
    recorder = new PostbackRecorder(db.client);
    // Days 40 to 37 back get partitions of their own, as if the maintainer had run then.
    await new TimePartitions(db.client, POSTBACK_LOG_EXPIRING).ensureAhead(new Date(oldDay), 3);
  }, 60_000);

  afterAll(async () => {
    await db?.drop();
  });

  it('a new database has the log partitioned: a kept side, and an expiring side by day with the days ahead and a default partition', async () => {
    expect(await isPartitionedLog(db.client)).toBe(true);
    const names = (await new TimePartitions(db.client, POSTBACK_LOG_EXPIRING).list()).map((p) => p.name);
    for (let d = 0; d <= 7; d++) expect(names).toContain(day(today + d * DAY));
    expect(names).toContain(defaultPartitionName(POSTBACK_LOG_EXPIRING.table));
    const { rows } = await db.client.query<{ def: string }>(
      `SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conrelid = 'postbacks'::regclass AND contype = 'p'`,
    );
    expect(rows[0].def).toBe('PRIMARY KEY (id, expires, received_at)');
  });

  it('puts a row that books nothing into its day on the expiring side, and a conversion’s rows on the kept side', async () => {
    await recorder.record(postback('unknown-old', oldDay + HOUR));
    await recorder.record(postback('unknown-fresh', Date.now()));
    await recorder.record(postback('unknown-older', today - 400 * DAY));
    const booked = await click(oldDay - 5 * DAY);
    expect((await recorder.record(postback(booked, oldDay + HOUR, { txid: 'kept-1' }))).outcome).toBe('accepted');
    expect((await recorder.record(postback(booked, oldDay + 2 * HOUR, { txid: 'kept-1' }))).outcome).toBe('duplicate');

    expect(await whereIs('unknown-old')).toEqual([day(oldDay)]);
    expect(await whereIs('unknown-fresh')).toEqual([day(Date.now())]);
    expect(await whereIs('unknown-older')).toEqual([defaultPartitionName(POSTBACK_LOG_EXPIRING.table)]);
    expect(await whereIs(booked)).toEqual([POSTBACK_LOG_KEPT, POSTBACK_LOG_KEPT]);
  });

  it('refuses a row whose side contradicts the rule, so no writer can put history where retention drops it', async () => {
    await expect(db.client.query(`UPDATE postbacks SET expires = false WHERE click_id = 'unknown-old'`)).rejects.toThrow(/postbacks_expires_rule/);
    await expect(db.client.query(`INSERT INTO postbacks (channel, params, outcome, expires) VALUES ('s2s', '{}', 'accepted', true)`)).rejects.toThrow(
      /postbacks_expires_rule/,
    );
    expect(await whereIs('unknown-old')).toEqual([day(oldDay)]);
  });

  it('moves a postback that arrived before its click to the kept side once the reattributor ties it to a conversion', async () => {
    const early = newClickId(oldDay + 2 * DAY);
    expect((await recorder.record(postback(early, oldDay + 2 * DAY + HOUR, { txid: 'late-click' }))).outcome).toBe('unattributed');
    expect(await whereIs(early)).toEqual([day(oldDay + 2 * DAY)]);
    await clicks.insertMany([{ id: early, campaignId, externalId: 'ext', subs: {}, createdAt: new Date(oldDay + 2 * DAY) }]);
    const run = await new Reattributor(db.client).run();
    expect(run.results.map((r) => r.outcome)).toEqual(['accepted']);
    // The waiting row (now tied to the conversion) and the reattribution's own accepted row: both history.
    const { rows } = await db.client.query<{ p: string; outcome: string; conversion: string | null; attributed: Date | null }>(
      `SELECT tableoid::regclass::text AS p, outcome, conversion_id AS conversion, attributed_at AS attributed FROM postbacks WHERE click_id = $1 ORDER BY received_at, outcome`,
      [early],
    );
    expect(rows).toHaveLength(2);
    expect(rows.every((r) => r.p === POSTBACK_LOG_KEPT && r.conversion === run.results[0].conversionId)).toBe(true);
    expect(rows.find((r) => r.outcome === 'unattributed')?.attributed).toBeInstanceOf(Date);
    expect((await new Reattributor(db.client).run()).attempted).toBe(0);
  });

  it('keeps a reattributed row on the expiring side when it still books nothing', async () => {
    // The click is written outside the network's attribution window (30 days): reattributed, still rejected.
    const stale = newClickId(oldDay - 35 * DAY);
    expect((await recorder.record(postback(stale, oldDay + 3 * DAY + HOUR))).outcome).toBe('unattributed');
    await clicks.insertMany([{ id: stale, campaignId, externalId: 'ext', subs: {}, createdAt: new Date(oldDay - 35 * DAY) }]);
    const run = await new Reattributor(db.client).run();
    expect(run.results.map((r) => r.outcome)).toEqual(['rejected']);
    const { rows } = await db.client.query<{ p: string; outcome: string; attributed: Date | null }>(
      `SELECT tableoid::regclass::text AS p, outcome, attributed_at AS attributed FROM postbacks WHERE click_id = $1 ORDER BY outcome`,
      [stale],
    );
    expect(rows.map((r) => [r.outcome, r.p])).toEqual([
      ['rejected', day(oldDay + 3 * DAY)],
      ['unattributed', day(oldDay + 3 * DAY)],
    ]);
    expect(rows[1].attributed).toBeInstanceOf(Date);
  });

  it('lists the log newest first across partitions, filtered and paged as before', async () => {
    const log = new PostbackLogRepository(db.client);
    const page = await log.page({ from: new Date(oldDay), to: new Date(oldDay + 4 * DAY) }, { limit: 3, offset: 0 });
    expect(page.total).toBe(7);
    const all = await log.page({ from: new Date(oldDay), to: new Date(oldDay + 4 * DAY) }, { limit: 50, offset: 0 });
    const times = all.items.map((r) => new Date(r.receivedAt).getTime());
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(page.items).toEqual(all.items.slice(0, 3));
    expect((await log.page({ outcome: 'accepted', from: new Date(oldDay), to: new Date(oldDay + 4 * DAY) }, { limit: 50, offset: 0 })).total).toBe(2);
  });

  it('makes a day’s partition while rows for that day keep arriving in the default partition, and loses none', async () => {
    // Past the days ahead: rows land in the default partition until the maintainer makes their day.
    const later = today + 20 * DAY;
    const insert = () =>
      db.client.query(
        `INSERT INTO postbacks (received_at, channel, click_id, params, outcome, reason_code, expires) VALUES ($1, 's2s', 'unknown-later', '{}', 'unattributed', 'unknown_click', true)`,
        [new Date(later + HOUR)],
      );
    for (let i = 0; i < 20; i++) await insert();
    let making = true;
    let written = 20;
    const beside = (async () => {
      while (making) {
        await insert();
        written++;
      }
    })();
    const created = await new TimePartitions(db.client, POSTBACK_LOG_EXPIRING).ensureAhead(new Date(later), 0).finally(() => (making = false));
    await beside;
    expect(created).toEqual([day(later)]);
    const { rows } = await db.client.query<{ p: string; n: number }>(
      `SELECT tableoid::regclass::text AS p, count(*)::int AS n FROM postbacks WHERE click_id = 'unknown-later' GROUP BY 1`,
    );
    expect(rows).toEqual([{ p: day(later), n: written }]);
    await db.client.query(`DELETE FROM postbacks WHERE click_id = 'unknown-later'`);
  });

  it('retention drops the expiring days past the line whole, deletes only the default partition’s expired rows, and keeps every conversion’s row', async () => {
    const count = async () => (await db.client.query<{ n: number }>(`SELECT count(*)::int AS n FROM postbacks`)).rows[0].n;
    const kept = (await db.client.query<{ n: number }>(`SELECT count(*)::int AS n FROM postbacks WHERE NOT expires`)).rows[0].n;
    expect(kept).toBe(4);
    const before = await count();
    const pruned = await new PostbackLogRetention(db.client).prune(new Date(today - 30 * DAY));
    expect(pruned.dropped.sort()).toEqual([0, 1, 2, 3].map((d) => day(oldDay + d * DAY)));
    expect(pruned.deleted).toBe(1); // unknown-older, from the default partition
    // Gone: unknown-old, the stale click's two rows, unknown-older. Kept: the fresh row and every conversion's row.
    expect(await count()).toBe(before - 4);
    expect((await db.client.query<{ n: number }>(`SELECT count(*)::int AS n FROM postbacks WHERE NOT expires`)).rows[0].n).toBe(kept);
    expect(await whereIs('unknown-fresh')).toEqual([day(Date.now())]);
    expect(await whereIs('unknown-old')).toEqual([]);
    const names = (await new TimePartitions(db.client, POSTBACK_LOG_EXPIRING).list()).map((p) => p.name);
    expect(names).not.toContain(day(oldDay));
  });
});
