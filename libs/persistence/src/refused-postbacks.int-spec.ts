import { newClickId, REFUSAL_REASONS, type RefusalReason } from '@postwire/core';
import { randomBytes } from 'node:crypto';
import { AlertRepository } from './repositories/alert.repository';
import { ClickRepository } from './repositories/click.repository';
import { PostbackLogRepository } from './repositories/postback-log.repository';
import { PostbackLogRetention } from './repositories/postback-log-retention';
import { PostbackRecorder, REFUSALS_KEPT_PER_IP_PER_MIN, type RefusedRequest } from './repositories/postback-recorder';
import { BOTH_DRIVERS, openTestDatabase, type TestDatabase } from './test-support/databases';
import { seedCampaign } from './test-support/seed-campaign';

const refusal = (over: Partial<RefusedRequest> = {}): RefusedRequest => ({
  channel: 's2s',
  receivedAt: new Date(),
  networkId: null,
  clickId: null,
  params: { click_id: 'abc', sig: '***' },
  ip: '198.51.100.7',
  reasonCode: 'bad_signature',
  detail: 'bad_signature',
  httpStatus: 401,
  method: 'GET',
  path: '/postback/net',
  ...over,
});

/** Issue 21 §1: refused requests are rows of the postback log, bounded by row, by day, per address and by age. */
describe.each(BOTH_DRIVERS)('refused postbacks in the postback log on %s', (driver) => {
  let db: TestDatabase;
  let recorder: PostbackRecorder;
  let log: PostbackLogRepository;

  beforeAll(async () => {
    db = await openTestDatabase(driver);
    recorder = new PostbackRecorder(db.client);
    log = new PostbackLogRepository(db.client);
  }, 60_000);

  afterAll(async () => {
    await db?.drop();
  });

  it('records each refusal reason with its status, method, path and capped parameters, and filters by reason', async () => {
    const { network } = await seedCampaign(db.client);
    const ip = '203.0.113.50';
    const big = Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`p${i}`, randomBytes(500).toString('hex')]));
    await Promise.all(
      REFUSAL_REASONS.map((reasonCode, i) =>
        recorder.recordRefusal(
          refusal({ ip, reasonCode, detail: `detail-${reasonCode}`, httpStatus: 400 + i, networkId: network.id, params: i === 0 ? big : { n: i } }),
        ),
      ),
    );
    const { items, total: counted } = await log.page({ search: ip }, { limit: 50, offset: 0 });
    expect(counted).toBe(REFUSAL_REASONS.length);
    expect(new Set(items.map((r) => r.reasonCode))).toEqual(new Set(REFUSAL_REASONS));
    for (const row of items) {
      expect(row).toMatchObject({ outcome: 'refused', ip, networkId: network.id, method: 'GET', path: '/postback/net', reason: `detail-${row.reasonCode}` });
      expect(JSON.stringify(row.params).length).toBeLessThanOrEqual(2048);
    }
    expect(items.map((r) => r.httpStatus).sort()).toEqual(REFUSAL_REASONS.map((_, i) => 400 + i).sort());

    for (const reasonCode of ['ip_refused', 'replayed'] as RefusalReason[]) {
      const byReason = await log.page({ reasonCode, search: ip }, { limit: 50, offset: 0 });
      expect(byReason.items.map((r) => r.reasonCode)).toEqual([reasonCode]);
    }
    const byNetwork = await log.page({ networkId: network.id, outcome: 'refused' }, { limit: 5, offset: 5 });
    expect(byNetwork.items).toHaveLength(5);
    expect(byNetwork.total).toBe(REFUSAL_REASONS.length);
  });

  it('counts refusals in the refused alert of their network, and not as the network being alive', async () => {
    const { network } = await seedCampaign(db.client);
    await recorder.recordRefusal(refusal({ ip: '192.0.2.150', networkId: network.id, reasonCode: 'ip_refused', detail: 'ip_not_allowed' }));
    await recorder.recordRefusal(refusal({ ip: '192.0.2.150', networkId: network.id, reasonCode: 'ip_refused', detail: 'ip_not_allowed' }));
    const alerts = new AlertRepository(db.client);
    const now = new Date(Date.now() + 1000);
    expect((await alerts.refusedPostbacks(now)).find((r) => r.networkId === network.id)).toMatchObject({ count: 2, byReason: { ip_refused: 2 } });
    expect((await alerts.networkActivity(now)).find((a) => a.networkId === network.id)).toMatchObject({ lastReceivedAt: null, baselineCount: 0 });
  });

  it('shows a client no refused row without a click, and recorded rows keep their reason code', async () => {
    const { campaign } = await seedCampaign(db.client);
    const clickId = newClickId();
    await new ClickRepository(db.client).insertMany([{ id: clickId, campaignId: campaign.id, subs: {}, createdAt: new Date() }]);
    await recorder.record({ channel: 's2s', clickId, params: {}, status: 'approved', payout: '1', receivedAt: new Date() });
    await recorder.record({ channel: 's2s', clickId: newClickId(), params: {}, status: 'approved', receivedAt: new Date() });
    await recorder.recordRefusal(refusal({ ip: '192.0.2.99', reasonCode: 'bad_key' }));

    const client = await log.page({ campaignIds: [campaign.id] }, { limit: 50, offset: 0 });
    expect(client.items.map((r) => [r.outcome, r.reasonCode])).toEqual([['accepted', 'accepted']]);
    const unknown = await log.page({ reasonCode: 'unknown_click' }, { limit: 50, offset: 0 });
    expect(unknown.items.length).toBeGreaterThanOrEqual(1);
    expect(unknown.items.every((r) => r.outcome === 'unattributed')).toBe(true);
  });

  it(`keeps ${REFUSALS_KEPT_PER_IP_PER_MIN} refusals per address and minute as rows and only counts the rest`, async () => {
    const minute = new Date('2026-03-01T10:15:00Z');
    const at = (s: number) => new Date(minute.getTime() + s * 100);
    const flood = '198.51.100.200';
    // In bursts, as a flood arrives: the first burst alone is larger than the bound.
    for (let burst = 0; burst < 5; burst++) {
      const sent = await Promise.all(
        Array.from({ length: 60 }, (_, i) => recorder.recordRefusal(refusal({ ip: flood, receivedAt: at(burst * 60 + i), reasonCode: 'rate_limited' }))),
      );
      expect(sent.every(Boolean)).toBe(true);
    }
    await recorder.recordRefusal(refusal({ ip: '198.51.100.201', receivedAt: at(1) }));
    // Past the bound the recorder only counts, in memory; the counts reach the database once a second, or now.
    await recorder.flushRefusalCounts();

    const rows = await db.client.query<{ ip: string; n: number }>(
      `SELECT ip, count(*)::int AS n FROM postbacks WHERE outcome = 'refused' AND ip IN ($1, $2) GROUP BY ip ORDER BY ip`,
      [flood, '198.51.100.201'],
    );
    expect(rows.rows).toEqual([
      { ip: flood, n: REFUSALS_KEPT_PER_IP_PER_MIN },
      { ip: '198.51.100.201', n: 1 },
    ]);
    const counted = await log.countedRefusals(new Date(minute.getTime() - 1));
    expect(counted).toEqual([{ reasonCode: 'rate_limited', count: 300 - REFUSALS_KEPT_PER_IP_PER_MIN }]);

    // The next minute starts a new allowance.
    await recorder.recordRefusal(refusal({ ip: flood, receivedAt: new Date(minute.getTime() + 60_000) }));
    const next = await log.page({ search: flood, from: new Date(minute.getTime() + 60_000) }, { limit: 50, offset: 0 });
    expect(next.total).toBe(1);
  });

  it('holds the bound across tracker processes: the database decides which rows are kept', async () => {
    // Two recorders are two trackers: each admits 15 of its refusals, the database keeps 20 of the 30 and counts 10.
    const minute = new Date('2026-03-02T08:00:00Z');
    const ip = '198.51.100.210';
    const trackers = [new PostbackRecorder(db.client), new PostbackRecorder(db.client)];
    for (let i = 0; i < 15; i++) {
      await Promise.all(trackers.map((t, n) => t.recordRefusal(refusal({ ip, receivedAt: new Date(minute.getTime() + i * 1000 + n) }))));
    }
    const { rows } = await db.client.query<{ n: number }>(`SELECT count(*)::int AS n FROM postbacks WHERE outcome = 'refused' AND ip = $1`, [ip]);
    expect(rows[0].n).toBe(REFUSALS_KEPT_PER_IP_PER_MIN);
    const counted = await db.client.query<{ n: number }>(`SELECT sum(count)::int AS n FROM postback_refusals_counted WHERE ip = $1`, [ip]);
    expect(counted.rows[0].n).toBe(30 - REFUSALS_KEPT_PER_IP_PER_MIN);
  });

  it('leaves refusals out once the day’s byte cap is reached, and retention deletes old refusals and their counters', async () => {
    const capped = new PostbackRecorder(db.client, { logBytesPerDay: 1 });
    await capped.recordRefusal(refusal({ ip: '192.0.2.201' }));
    expect((await log.page({ search: '192.0.2.201' }, { limit: 5, offset: 0 })).total).toBe(0);

    const old = new Date(Date.now() - 40 * 86_400_000);
    await Promise.all(Array.from({ length: 25 }, () => recorder.recordRefusal(refusal({ ip: '192.0.2.202', receivedAt: old }))));
    await recorder.flushRefusalCounts();
    expect((await log.page({ search: '192.0.2.202' }, { limit: 5, offset: 0 })).total).toBe(REFUSALS_KEPT_PER_IP_PER_MIN);
    expect((await log.countedRefusals(new Date(0))).reduce((sum, c) => sum + c.count, 0)).toBeGreaterThanOrEqual(25 - REFUSALS_KEPT_PER_IP_PER_MIN);
    await new PostbackLogRetention(db.client).deleteExpired(new Date(Date.now() - 30 * 86_400_000));
    expect((await log.page({ search: '192.0.2.202' }, { limit: 5, offset: 0 })).total).toBe(0);
    // Every counter is older than the cutoff too (this test's and the flood test's, of 2026-03-01).
    expect(await log.countedRefusals(new Date(0))).toEqual([]);
  });
});
