import { FraudScorer, newClickId, reportFigures, type AuditActor, type ReportDimension } from '@postwire/core';
import { ClickRepository, type ClickEnrichment } from './repositories/click.repository';
import { FraudRescoreRepository } from './repositories/fraud-rescore/fraud-rescore.repository';
import { FraudRescorer } from './repositories/fraud-rescore/fraud-rescorer';
import { SubValueRollups } from './repositories/sub-value-rollups';
import { FraudRepository } from './repositories/fraud.repository';
import { PostbackRecorder } from './repositories/postback-recorder';
import { rebuildReportRollups } from './repositories/report-rollups';
import { StatsRepository, type StatsQuery } from './repositories/stats.repository';
import { BOTH_DRIVERS, openTestDatabase, type TestDatabase } from './test-support/databases';
import { seedCampaign } from './test-support/seed-campaign';

const GOOGLEBOT = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';
const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';
const DAY = 86_400_000;
const FRAUD_TABLES = [
  'click_rollups',
  'click_totals',
  'sub_click_rollups',
  'conversion_rollups',
  'conversion_totals',
  'fraud_reason_click_rollups',
  'fraud_reason_conversion_rollups',
];

/** The scorings the clicks get, in turn: several reasons, one, none fired, and not scored at all. */
const SCORINGS: Array<ClickEnrichment['fraud']> = [
  { score: 80, reasons: ['bot_user_agent'], suspicious: true },
  { score: 40, reasons: ['datacenter_ip'], suspicious: true },
  { score: 100, reasons: ['headless_browser', 'datacenter_ip'], suspicious: true },
  { score: 30, reasons: ['malformed_user_agent'], suspicious: false },
  { score: 0, reasons: [], suspicious: false },
  undefined,
];

// Raw rows as the driver returns them.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Row = Record<string, any>;

/**
 * The fraud report columns (suspicious and bot clicks, held and rejected-as-fraud conversions) and the
 * report by fraud reason equal a count by hand over the raw clicks and assessments, on every read path
 * (per-campaign totals, 15-minute detail, sub-id rollups, raw tables), through holds, releases and
 * rejections; and the rollup rebuild gives what the writes kept.
 */
describe.each(BOTH_DRIVERS)('fraud report columns on %s', (driver) => {
  let db: TestDatabase;
  let campaignIds: string[];
  let stats: StatsRepository;
  const start = Math.floor(Date.now() / DAY) * DAY - 2 * DAY + 23 * 3_600_000; // 23:00 UTC two days ago: clicks span midnight
  const query = (groupBy: ReportDimension[], extra: Partial<StatsQuery> = {}): StatsQuery => ({
    from: new Date(Math.floor(start / DAY) * DAY),
    to: new Date(Math.floor(start / DAY) * DAY + 4 * DAY),
    tz: 'UTC',
    groupBy,
    filters: {},
    attributeBy: 'click',
    currency: 'USD',
    allowedCampaignIds: campaignIds,
    ...extra,
  });

  beforeAll(async () => {
    db = await openTestDatabase(driver);
    stats = new StatsRepository(db.client);
    const seeded = [await seedCampaign(db.client), await seedCampaign(db.client)];
    campaignIds = seeded.map((s) => s.campaign.id);
    const fraud = new FraudRepository(db.client);
    // The first campaign holds (a Googlebot conversion scores 80), the second only flags.
    await fraud.setPolicy('campaign', campaignIds[0], { action: 'hold', actionScore: 60 });
    const clicks = new ClickRepository(db.client);
    const written = Array.from({ length: 36 }, (_, i) => {
      const createdAt = new Date(start + i * 7 * 60_000);
      const scoring = SCORINGS[i % SCORINGS.length];
      return {
        id: newClickId(createdAt.getTime()),
        campaignId: campaignIds[i % 2],
        subs: { sub1: `z${i % 3}` },
        userAgent: scoring?.reasons.includes('bot_user_agent') ? GOOGLEBOT : CHROME,
        ip: '81.2.69.142',
        createdAt,
        enrichment: {
          country: i % 4 ? 'US' : 'DE',
          deviceType: 'desktop',
          os: 'Windows',
          browser: 'Chrome',
          referrerDomain: null,
          visitorKey: `v${i}`,
          cost: '0',
          costMissing: false,
          ...(scoring ? { fraud: scoring } : {}),
        },
      };
    });
    for (let i = 0; i < written.length; i += 5) await clicks.insertMany(written.slice(i, i + 5));
    const recorder = new PostbackRecorder(db.client, { fraud: new FraudScorer() });
    const conversionIds: string[] = [];
    for (const [i, c] of written.entries()) {
      if (i % 3 === 2) continue;
      const result = await recorder.record({
        channel: 's2s',
        clickId: c.id,
        params: {},
        txid: `t${i}`,
        status: 'pending',
        receivedAt: new Date(c.createdAt.getTime() + 3_600_000),
      });
      conversionIds.push(result.conversionId!);
    }
    const { items } = await fraud.listHeld({ campaignIds: [campaignIds[0]], limit: 100, offset: 0 });
    expect(items.length).toBeGreaterThanOrEqual(3);
    // One released, one rejected by an operator; the rest stay held. A later status change of a held one moves it in the rollups too.
    await fraud.release([items[0].conversionId], 'ops');
    await fraud.reject([items[1].conversionId], 'ops');
    const txid = (await db.client.query<{ txid: string; click_id: string }>(`SELECT txid, click_id FROM conversions WHERE id = $1`, [items[2].conversionId]))
      .rows[0];
    await recorder.record({ channel: 's2s', clickId: txid.click_id, params: {}, txid: txid.txid, status: 'approved', receivedAt: new Date() });
  }, 120_000);

  afterAll(async () => {
    await db?.drop();
  });

  /** The counts by hand, per key of each raw row (`keyOf`), from clicks and from conversions with their assessments. */
  async function byHand(keyOf: (row: Row) => string[]) {
    const { rows: clicks } = await db.client.query<Row>(`SELECT * FROM clicks WHERE campaign_id = ANY($1::uuid[])`, [campaignIds]);
    const { rows: conversions } = await db.client.query<Row>(
      `SELECT c.*, f.hold_state, f.signals FROM conversions c LEFT JOIN conversion_fraud f ON f.conversion_id = c.id WHERE c.campaign_id = ANY($1::uuid[])`,
      [campaignIds],
    );
    const out = new Map<string, Record<string, number>>();
    const at = (key: string) => {
      let g = out.get(key);
      if (!g) out.set(key, (g = { clicks: 0, suspiciousClicks: 0, botClicks: 0, conversions: 0, heldConversions: 0, fraudRejected: 0 }));
      return g;
    };
    for (const c of clicks) {
      // A paused campaign's clicks are out of its report traffic.
      if (c.paused) continue;
      for (const key of keyOf({ ...c, reasons: c.fraud_reasons ?? [] })) {
        const g = at(key);
        g.clicks += 1;
        if (c.fraud_suspicious) g.suspiciousClicks += 1;
        if ((c.fraud_reasons ?? []).some((r: string) => r === 'bot_user_agent' || r === 'headless_browser')) g.botClicks += 1;
      }
    }
    for (const cv of conversions) {
      const reasons = ((cv.signals ?? []) as Array<{ code: string; fired: boolean }>).filter((s) => s.fired).map((s) => s.code);
      for (const key of keyOf({ ...cv, created_at: cv.click_at, reasons })) {
        const g = at(key);
        if (cv.status === 'approved' || cv.status === 'pending') g.conversions += 1;
        if (cv.hold_state === 'held') g.heldConversions += 1;
        if (cv.hold_state === 'rejected') g.fraudRejected += 1;
      }
    }
    return out;
  }

  /** Every rollup row with a figure, as sorted text: what the writes kept, to compare with a rebuild. */
  async function snapshot() {
    const out: Record<string, string[]> = {};
    for (const table of FRAUD_TABLES) {
      const { rows } = await db.client.query<Row>(`SELECT * FROM ${table}`);
      out[table] = rows
        .filter((r) => Object.entries(r).some(([k, v]) => /clicks|approved|pending|declined|refunded|held|rejected/.test(k) && Number(v) !== 0))
        // conversion_totals' `changes` counts the writes of a row (migration 033), which a rebuild starts again: no figure.
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
  }

  const figures = (rows: Awaited<ReturnType<StatsRepository['groups']>>, key: (keys: Record<string, string | undefined>) => string) =>
    new Map(
      rows.map((g) => {
        const f = reportFigures(g.sums);
        return [
          key(g.keys),
          {
            clicks: f.clicks,
            suspiciousClicks: f.suspiciousClicks,
            botClicks: f.botClicks,
            conversions: f.conversions,
            heldConversions: f.heldConversions,
            fraudRejected: f.fraudRejected,
          },
        ];
      }),
    );

  it.each<[string, ReportDimension[]]>([
    ['per-campaign totals', ['campaign']],
    ['per-campaign totals by day', ['day']],
    ['15-minute detail', ['country']],
    ['sub-id rollups', ['sub1']],
    ['raw tables', ['sub1', 'country']],
  ])('the %s path counts as a person would', async (_path, groupBy) => {
    const keyOf = (r: Row) => [
      groupBy
        .map((d) =>
          d === 'campaign' ? r.campaign_id : d === 'day' ? new Date(r.created_at).toISOString().slice(0, 10) : d === 'country' ? r.country : (r.sub1 ?? ''),
        )
        .join('|'),
    ];
    const want = await byHand(keyOf);
    const got = figures(await stats.groups(query(groupBy)), (k) => groupBy.map((d) => k[d]).join('|'));
    expect(Object.fromEntries(got)).toEqual(Object.fromEntries(want));
    const held = [...want.values()].reduce((n, g) => n + g.heldConversions, 0);
    // The scenario has every kind of figure, so each comparison can fail.
    expect(held).toBeGreaterThan(0);
    expect([...want.values()].reduce((n, g) => n + g.fraudRejected, 0)).toBe(1);
    const page = await stats.page(query(groupBy), { sort: [] });
    expect(reportFigures(page.totals)).toMatchObject({ heldConversions: held, fraudRejected: 1 });
  });

  it('suspicious % is suspicious clicks over clicks, exactly', async () => {
    const page = await stats.page(query(['campaign']), { sort: [] });
    const f = reportFigures(page.totals);
    expect(f.suspiciousPct).toBe((Math.round((f.suspiciousClicks / f.clicks) * 1e6) / 1e6).toString());
  });

  it('groups by fraud reason: a click or conversion with several reasons counts under each', async () => {
    const want = await byHand((r) => r.reasons);
    const got = figures(await stats.groups(query(['fraudReason'])), (k) => k.fraudReason!);
    expect(Object.fromEntries(got)).toEqual(Object.fromEntries(want));
    expect(got.get('datacenter_ip')!.clicks).toBe(12); // 6 with datacenter_ip alone, 6 with headless_browser too
    // datacenter_ip is on both campaigns' clicks (alone on odd ones, with headless_browser on even ones).
    const byCampaign = await stats.groups(query(['campaign', 'fraudReason'], { filters: { fraudReason: ['datacenter_ip'] } }));
    expect(byCampaign.map((g) => [g.keys.fraudReason, Number(g.sums.clicks)])).toEqual([
      ['datacenter_ip', 6],
      ['datacenter_ip', 6],
    ]);
  });

  it('the conversions export filters by a reason that fired', async () => {
    const want = (await byHand((r) => r.reasons)).get('bot_user_agent')!;
    const q = query([], { filters: { fraudReason: ['bot_user_agent'] } });
    const exported = await stats.exportConversions(q, undefined, 1000);
    // Every status: the held, the released, the rejected (declined) and the moved one.
    expect(exported.length).toBe(want.conversions + want.fraudRejected);
    expect(exported.length).toBeGreaterThan(0);
  });

  it('the rollup rebuild gives what the writes kept', async () => {
    const kept = await snapshot();
    expect(kept.fraud_reason_conversion_rollups.length).toBeGreaterThan(0);
    await rebuildReportRollups(db.client, { from: new Date(start - DAY), to: new Date(start + 2 * DAY) });
    expect(await snapshot()).toEqual(kept);
  });

  it('a re-score moves the click figures: every report path counts as a person would, and as a rebuild does', async () => {
    const paths: Array<[ReportDimension[], Partial<StatsQuery>]> = [
      [['day'], {}],
      [['campaign'], {}],
      // Over all campaigns, whole days read the compacted sub-id value buckets while they are current.
      [['sub1'], { allowedCampaignIds: undefined }],
      [['fraudReason'], {}],
    ];
    const keyOf = (groupBy: ReportDimension[]) => (r: Row) =>
      groupBy[0] === 'fraudReason'
        ? r.reasons
        : [groupBy[0] === 'campaign' ? r.campaign_id : groupBy[0] === 'day' ? new Date(r.created_at).toISOString().slice(0, 10) : (r.sub1 ?? '')];
    const reported = async () => {
      const out: Array<Record<string, unknown>> = [];
      for (const [groupBy, extra] of paths) out.push(Object.fromEntries(figures(await stats.groups(query(groupBy, extra)), (k) => k[groupBy[0]] ?? '')));
      return out;
    };
    const counted = async () => {
      const out: Array<Record<string, unknown>> = [];
      for (const [groupBy] of paths) out.push(Object.fromEntries(await byHand(keyOf(groupBy))));
      return out;
    };
    // A paused campaign's click with a reason: re-scored, and still in no rollup.
    const clicks = new ClickRepository(db.client);
    const pausedAt = new Date(start + 5 * 60_000);
    await clicks.insertMany([
      {
        id: newClickId(pausedAt.getTime()),
        campaignId: campaignIds[1],
        subs: { sub1: 'z0' },
        userAgent: GOOGLEBOT,
        ip: '81.2.69.142',
        createdAt: pausedAt,
        paused: true,
        enrichment: {
          country: 'US',
          deviceType: 'desktop',
          os: 'Windows',
          browser: 'Chrome',
          referrerDomain: null,
          visitorKey: 'paused',
          cost: '0',
          costMissing: false,
          fraud: { score: 40, reasons: ['datacenter_ip'], suspicious: true },
        },
      },
    ]);
    const subValues = new SubValueRollups(db.client);
    expect(await subValues.compactPending(new Date())).toBeGreaterThan(0);
    const before = await reported();
    expect(before).toEqual(await counted());

    // The second campaign now flags only from 90: its Googlebot clicks (80) stop being suspicious. Every
    // click is scored again: the stored reasons (datacenter_ip, headless_browser) do not fire on these clicks.
    const fraud = new FraudRepository(db.client);
    await fraud.setPolicy('campaign', campaignIds[1], { flagScore: 90, actionScore: 95 });
    const runs = new FraudRescoreRepository(db.client);
    const actor: AuditActor = { type: 'user', id: null, label: 'ops@example.com' };
    const rescorer = new FraudRescorer(
      db.client,
      runs,
      new FraudScorer(),
      {
        empty: true,
        codes: new Set(),
        scoreClick: () => Promise.resolve({ readings: [], notes: [] }),
        scoreConversion: () => Promise.resolve({ readings: [], notes: [] }),
      },
      { reportCurrency: 'USD', audit: () => Promise.resolve(), onDeliveries: () => undefined, stopping: () => false },
    );
    const q = query([]);
    const started = await rescorer.start({ from: q.from, to: q.to, dryRun: false, sendStatusUpdates: false }, actor, 'ops@example.com');
    await started!.done;
    expect(await runs.getRun(started!.runId)).toMatchObject({ state: 'done', error: null });

    const want = await counted();
    expect(await reported()).toEqual(want);
    // The run moved every kind of click figure, so each comparison above can fail.
    const total = (i: number, reason: string, column: string) => (want[i][reason] as Record<string, number> | undefined)?.[column] ?? 0;
    const sum = (rows: Record<string, unknown>, column: string) => Object.values(rows).reduce<number>((n, g) => n + (g as Record<string, number>)[column], 0);
    expect(sum(want[0], 'suspiciousClicks')).not.toBe(sum(before[0], 'suspiciousClicks'));
    expect(sum(want[0], 'botClicks')).not.toBe(sum(before[0], 'botClicks'));
    expect(total(3, 'datacenter_ip', 'clicks')).toBe(0);
    expect(total(3, 'bot_user_agent', 'suspiciousClicks')).toBeGreaterThan(0);
    const { rows: paused } = await db.client.query<Row>(`SELECT fraud_reasons, fraud_suspicious FROM clicks WHERE paused`);
    expect(paused).toEqual([{ fraud_reasons: ['bot_user_agent'], fraud_suspicious: false }]);

    const kept = await snapshot();
    await rebuildReportRollups(db.client, { from: new Date(start - DAY), to: new Date(start + 2 * DAY) });
    expect(await snapshot()).toEqual(kept);
    // And once the value buckets are compacted again, the sub-id path reads them and still agrees.
    expect(await subValues.compactPending(new Date())).toBeGreaterThan(0);
    expect(await reported()).toEqual(want);
  });
});
