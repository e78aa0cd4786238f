import { newClickId } from '@postwire/core';
import { randomBytes } from 'node:crypto';
import { ClickRepository } from './repositories/click.repository';
import { REPEATED_LOG_ROWS_KEPT } from './repositories/postback-batch/batch-writer';
import { PostbackRecorder } from './repositories/postback-recorder';
import { ReportRepository } from './repositories/report.repository';
import { AlertRepository } from './repositories/alert.repository';
import { BOTH_DRIVERS, openTestDatabase, type TestDatabase } from './test-support/databases';
import { seedCampaign } from './test-support/seed-campaign';

/**
 * Issue 23: 300 pixel hits on one converted click added 300 log rows and 5.1 MB. Repeats of a
 * converted click keep a capped excerpt of their parameters, and beyond a few rows they are counted.
 */
describe.each(BOTH_DRIVERS)('a bounded postback log on %s', (driver) => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await openTestDatabase(driver);
  }, 60_000);

  afterAll(async () => {
    await db?.drop();
  });

  it('300 pixel hits with 16 KB of parameters on a converted click store a few capped rows and count the rest', async () => {
    const { campaign } = await seedCampaign(db.client);
    const clickId = newClickId();
    await new ClickRepository(db.client).insertMany([{ id: clickId, campaignId: campaign.id, subs: {}, createdAt: new Date() }]);
    const recorder = new PostbackRecorder(db.client);
    const first = await recorder.record({ channel: 'pixel', clickId, params: {}, status: 'approved', payout: '2', receivedAt: new Date() });
    expect(first.outcome).toBe('accepted');

    // What an attacker sends: the same click, much parameter text (random, so compression does not hide its size).
    const params = Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`p${i}`, randomBytes(1000).toString('hex')]));
    const outcomes: Record<string, number> = {};
    // In bursts, as they arrive: several hits share a batch.
    for (let burst = 0; burst < 30; burst++) {
      const results = await Promise.all(
        Array.from({ length: 10 }, () => recorder.record({ channel: 'pixel', clickId, params, status: 'approved', payout: '2', receivedAt: new Date() })),
      );
      for (const r of results) outcomes[r.outcome] = (outcomes[r.outcome] ?? 0) + 1;
    }
    expect(outcomes).toEqual({ duplicate: 300 });

    const { rows } = await db.client.query<{ rows: number; repeats: number; bytes: number; largest: number }>(
      `SELECT count(*)::int AS rows, coalesce(sum(repeats), 0)::int AS repeats, coalesce(sum(pg_column_size(params)), 0)::int AS bytes,
              coalesce(max(octet_length(params::text)), 0)::int AS largest
       FROM postbacks WHERE click_id = $1 AND outcome = 'duplicate'`,
      [clickId],
    );
    const [log] = rows;
    if (process.env.SHOW_LOG_SIZE) process.stdout.write(`${driver}: ${JSON.stringify(log)}\n`);
    // Every hit is accounted for: as a row or as a count on one.
    expect(log.rows + log.repeats).toBe(300);
    // A batch decides against what was stored before it, so at most one batch more than the quota becomes rows.
    expect(log.rows).toBeGreaterThanOrEqual(REPEATED_LOG_ROWS_KEPT);
    expect(log.rows).toBeLessThanOrEqual(REPEATED_LOG_ROWS_KEPT + 10);
    expect(log.largest).toBeLessThanOrEqual(2048);
    expect(log.bytes).toBeLessThan(60_000);
    // The log the admin API lists shows the count.
    const listed = await new ReportRepository(db.client).listPostbacks({ clickId, outcome: 'duplicate', limit: 500 });
    expect(listed.reduce((sum, row) => sum + row.repeats, 0)).toBe(log.repeats);
  }, 60_000);

  it('once the day took its cap, rows that book nothing are counted for the day, not stored; conversions still are', async () => {
    const { campaign } = await seedCampaign(db.client);
    const alerts = new AlertRepository(db.client);
    // Something logged today, uncapped, so the day has bytes to reach.
    await new PostbackRecorder(db.client).record({ channel: 'pixel', clickId: newClickId(), params: {}, receivedAt: new Date() });
    const before = await alerts.postbackLogDay(new Date());
    // A cap the earlier rows of today have reached already.
    const recorder = new PostbackRecorder(db.client, { logBytesPerDay: Math.max(1, before.bytes) });
    const unknown = Array.from({ length: 20 }, () =>
      recorder.record({ channel: 'pixel', clickId: newClickId(), params: { junk: 'x' }, receivedAt: new Date() }),
    );
    expect((await Promise.all(unknown)).map((r) => r.outcome)).toEqual(Array(20).fill('unattributed'));
    const clickId = newClickId();
    await new ClickRepository(db.client).insertMany([{ id: clickId, campaignId: campaign.id, subs: {}, createdAt: new Date() }]);
    expect(
      (await recorder.record({ channel: 's2s', clickId, params: {}, txid: 'cap-1', status: 'approved', payout: '2', receivedAt: new Date() })).outcome,
    ).toBe('accepted');

    const after = await alerts.postbackLogDay(new Date());
    expect(after.dropped - before.dropped).toBe(20);
    expect(after.stored - before.stored).toBe(1);
    const { rows } = await db.client.query<{ n: number }>(`SELECT count(*)::int AS n FROM postbacks WHERE outcome = 'unattributed' AND params->>'junk' = 'x'`);
    expect(rows[0].n).toBe(0);
    const accepted = await db.client.query<{ n: number }>(`SELECT count(*)::int AS n FROM postbacks WHERE click_id = $1 AND outcome = 'accepted'`, [clickId]);
    expect(accepted.rows[0].n).toBe(1);
  }, 60_000);
});
