import { AuditLogRepository } from './repositories/audit-log.repository';
import { DeliveryRepository } from './repositories/delivery.repository';
import { ReportRepository, type ConversionCursor } from './repositories/report.repository';
import { BOTH_DRIVERS, openTestDatabase, type TestDatabase } from './test-support/databases';
import { seedCampaign } from './test-support/seed-campaign';

const START = Date.UTC(2026, 2, 1);
const MINUTE = 60_000;
const CONVERSIONS = 515;
const STATUSES = ['approved', 'pending', 'declined', 'refunded'];

/**
 * The conversions, deliveries and audit log lists on both drivers: filtered pages with their totals, and the
 * keyset walk their CSV exports use reaching the same rows as the pages, in the same order.
 */
describe.each(BOTH_DRIVERS)('paged lists over %s', (driver) => {
  let db: TestDatabase;
  let a: Awaited<ReturnType<typeof seedCampaign>>;
  let b: Awaited<ReturnType<typeof seedCampaign>>;
  let reports: ReportRepository;
  let deliveries: DeliveryRepository;

  beforeAll(async () => {
    db = await openTestDatabase(driver);
    a = await seedCampaign(db.client);
    b = await seedCampaign(db.client);
    reports = new ReportRepository(db.client);
    deliveries = new DeliveryRepository(db.client);
    // Conversion i: one a minute from START; campaign B for every fifth, status by i mod 4, a test every 50th.
    await db.client.query(
      `INSERT INTO conversions (click_id, campaign_id, network_id, status, payout, currency, source, created_at, is_test)
       SELECT 'click-' || i, CASE WHEN i % 5 = 0 THEN $2::uuid ELSE $1::uuid END, CASE WHEN i % 5 = 0 THEN $4::uuid ELSE $3::uuid END,
              ($5::text[])[i % 4 + 1], 1.5, 'USD', 's2s', $6::timestamptz + i * interval '1 minute', i % 50 = 0
       FROM generate_series(0, ${CONVERSIONS - 1}) AS g(i)`,
      [a.campaign.id, b.campaign.id, a.network.id, b.network.id, STATUSES, new Date(START)],
    );
    // One delivery per conversion, to its campaign's source; dead for every third.
    await db.client.query(
      `INSERT INTO deliveries (conversion_id, traffic_source_id, revision, event, method, url, status, created_at, is_test)
       SELECT cv.id, cp.traffic_source_id, 1, 'conversion', 'GET', 'https://s.example/pb?k=secret', CASE WHEN substr(cv.click_id, 7)::int % 3 = 0 THEN 'dead' ELSE 'delivered' END,
              cv.created_at, cv.is_test
       FROM conversions cv JOIN campaigns cp ON cp.id = cv.campaign_id`,
    );
  }, 120_000);

  afterAll(async () => {
    await db?.drop();
  });

  it('pages 515 conversions newest first with the total, past 500', async () => {
    const first = await reports.pageConversions({}, { limit: 500, offset: 0 });
    const rest = await reports.pageConversions({}, { limit: 500, offset: 500 });
    expect([first.total, first.totalIsLowerBound, first.items.length, rest.items.length]).toEqual([CONVERSIONS, false, 500, 15]);
    expect(first.items[0].clickId).toBe(`click-${CONVERSIONS - 1}`);
    expect(rest.items.at(-1)?.clickId).toBe('click-0');
    const ids = [...first.items, ...rest.items].map((c) => c.id);
    expect(new Set(ids).size).toBe(CONVERSIONS);
  });

  it('filters conversions by status, campaign, network, source, time and test, each with its total', async () => {
    const count = async (filter: Parameters<ReportRepository['pageConversions']>[0]) => (await reports.pageConversions(filter, { limit: 1, offset: 0 })).total;
    const expected = (keep: (i: number) => boolean) => Array.from({ length: CONVERSIONS }, (_, i) => i).filter(keep).length;
    expect(await count({ status: 'declined' })).toBe(expected((i) => i % 4 === 2));
    expect(await count({ campaignId: b.campaign.id })).toBe(expected((i) => i % 5 === 0));
    expect(await count({ networkId: a.network.id })).toBe(expected((i) => i % 5 !== 0));
    expect(await count({ trafficSourceId: b.source.id, status: 'approved' })).toBe(expected((i) => i % 5 === 0 && i % 4 === 0));
    expect(await count({ from: new Date(START + 100 * MINUTE), to: new Date(START + 200 * MINUTE) })).toBe(100);
    expect(await count({ test: true })).toBe(expected((i) => i % 50 === 0));
    expect(await count({ campaignIds: [a.campaign.id], campaignId: b.campaign.id })).toBe(0);
    expect(await count({ campaignIds: [] })).toBe(0);
    expect(await count({ networkId: 'not-an-id' })).toBe(0);
  });

  it('walks the same rows by keyset for the CSV as the pages show', async () => {
    const filter = { status: 'approved' as const, to: new Date(START + 400 * MINUTE) };
    const walked: string[] = [];
    let cursor: ConversionCursor | undefined;
    for (;;) {
      const rows = await reports.exportConversionList(filter, cursor, 7);
      walked.push(...rows.map((r) => r.id));
      if (rows.length < 7) break;
      cursor = { at: rows[rows.length - 1].sortAt, id: rows[rows.length - 1].id };
    }
    const paged = await reports.pageConversions(filter, { limit: 500, offset: 0 });
    expect(walked).toEqual(paged.items.map((c) => c.id));
    expect(walked).toHaveLength(100);
  });

  it('pages and filters deliveries, and walks them by keyset', async () => {
    const dead = await deliveries.page({ status: 'dead', campaignId: a.campaign.id }, { limit: 10, offset: 0 });
    const want = Array.from({ length: CONVERSIONS }, (_, i) => i).filter((i) => i % 3 === 0 && i % 5 !== 0).length;
    expect([dead.total, dead.items.length, dead.items.every((d) => d.status === 'dead')]).toEqual([want, 10, true]);
    expect((await deliveries.page({ networkId: b.network.id, test: false }, { limit: 1, offset: 0 })).total).toBe(
      Array.from({ length: CONVERSIONS }, (_, i) => i).filter((i) => i % 5 === 0 && i % 50 !== 0).length,
    );
    expect((await deliveries.page({ campaignIds: [b.campaign.id], trafficSourceId: a.source.id }, { limit: 1, offset: 0 })).total).toBe(0);
    const all = await deliveries.page({}, { limit: 500, offset: 0 });
    const more = await deliveries.page({}, { limit: 500, offset: 500 });
    expect([all.total, all.items.length, more.items.length]).toEqual([CONVERSIONS, 500, 15]);
    const walked: string[] = [];
    let cursor: { at: Date; id: string } | undefined;
    for (;;) {
      const rows = await deliveries.listAfter({}, cursor, 200);
      walked.push(...rows.map((d) => d.id));
      if (rows.length < 200) break;
      cursor = { at: rows[rows.length - 1].createdAt, id: rows[rows.length - 1].id };
    }
    expect(walked).toEqual([...all.items, ...more.items].map((d) => d.id));
  });

  it('pages the audit log newest first by number (entry 12 before entry 9), and walks it by id', async () => {
    const audit = new AuditLogRepository(db.client);
    const actor = { type: 'user' as const, id: 'u1', label: 'Ann' };
    await audit.record(
      Array.from({ length: 12 }, (_, i) => ({ actor, entityType: 'campaign', entityId: `e-${i % 2}`, action: 'edit', before: null, after: { i } })),
    );
    const page = await audit.list({ entityId: 'e-1', limit: 4, offset: 4 });
    expect(page).toMatchObject({ total: 6, totalIsLowerBound: false, limit: 4, offset: 4 });
    expect(page.items).toHaveLength(2);
    const first = await audit.listAfter({ entityId: 'e-1' }, undefined, 4);
    const next = await audit.listAfter({ entityId: 'e-1' }, first.at(-1)?.id, 4);
    expect([...first, ...next].map((r) => (r.after as { i: number }).i)).toEqual([11, 9, 7, 5, 3, 1]);
  });
});
