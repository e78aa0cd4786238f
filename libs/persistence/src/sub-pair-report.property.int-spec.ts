import fc from 'fast-check';
import { newClickId, type ReportDimension } from '@postwire/core';
import { CampaignRepository } from './repositories/campaign.repository';
import { ClickRepository, type NewClick } from './repositories/click.repository';
import { NetworkRepository } from './repositories/network.repository';
import { OfferRepository } from './repositories/offer.repository';
import { PostbackRecorder } from './repositories/postback-recorder';
import { StatsRepository, type StatsGroup, type StatsQuery } from './repositories/stats.repository';
import { SubPairRollups } from './repositories/sub-pair-rollups';
import { TrafficSourceRepository } from './repositories/traffic-source.repository';
import { BOTH_DRIVERS, openTestDatabase, type TestDatabase } from './test-support/databases';

/**
 * `groupBy=sub1,sub2` over all campaigns from the pair grain (migration 034), against a count by hand
 * of the clicks and conversions this test stored: (a) the totals are exact, (b) a row not marked is
 * exact, (c) a row marked `lowerBound` has at most its exact clicks (its conversions exact) and the
 * "(other)" row makes every sum exact, (d) stale or missing buckets fall back to exact figures.
 */
const DAY = 86_400_000;
/** Monday 2026-01-05: each run gets its own four weeks, so runs do not see each other's clicks. */
const START = Date.UTC(2026, 0, 5);
const RUN_SPAN = 28 * DAY;
const SPAN = 17 * DAY;

const clickArb = fc.record({
  campaign: fc.nat(1),
  atMs: fc.integer({ min: 0, max: SPAN - 1 }),
  // Skewed, so some pairs are heads and some are cut.
  sub1: fc.constantFrom('a', 'a', 'a', 'b', 'b', 'c', 'd', undefined),
  sub2: fc.constantFrom('x', 'x', 'y', 'z', undefined),
  conversion: fc.option(
    fc.record({ delayMs: fc.integer({ min: 0, max: DAY }), status: fc.constantFrom('approved', 'pending', 'declined'), payout: fc.constantFrom('1', '2.5') }),
    {
      nil: undefined,
    },
  ),
});

const scenarioArb = fc.record({
  clicks: fc.array(clickArb, { minLength: 1, maxLength: 60 }),
  head: fc.integer({ min: 1, max: 6 }),
  compaction: fc.constantFrom('none', 'some', 'all', 'stale'),
  tz: fc.constantFrom('UTC', 'Asia/Kathmandu'),
  attributeBy: fc.constantFrom<'click' | 'conversion'>('click', 'conversion'),
  order: fc.constantFrom<ReportDimension[]>(['sub1', 'sub2'], ['sub2', 'sub1']),
  fromQ: fc.integer({ min: 0, max: 300 }),
  toQ: fc.integer({ min: 0, max: 300 }),
});

type Scenario = typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never;
type Click = Scenario['clicks'][number];
const HOUR = 3_600_000;
/** A click of {@link CUT_PAIRS}. */
const clickAt = (atMs: number, campaign: number, sub1: Click['sub1'], sub2: Click['sub2'], conversion?: Click['conversion']): Click => ({
  campaign,
  atMs,
  sub1,
  sub2,
  conversion,
});

/**
 * One scenario run every time, before the drawn ones, so the coverage checks cannot miss: one pair kept per
 * bucket, two whole weeks compacted. a|x heads the first week and is cut from the second, b|y the reverse
 * (each listed as a lower bound), c|z is cut from the first (only in "(other)").
 */
const CUT_PAIRS: Scenario = {
  clicks: [
    ...[0, 1, 2].map((i) => clickAt(HOUR + i, 0, 'a', 'x')),
    clickAt(2 * HOUR, 1, 'b', 'y', { delayMs: 60_000, status: 'approved', payout: '2.5' }),
    clickAt(2 * HOUR + 1, 1, 'b', 'y'),
    clickAt(3 * HOUR, 0, 'c', 'z', { delayMs: 60_000, status: 'pending', payout: '1' }),
    ...[0, 1, 2].map((i) => clickAt(8 * DAY + HOUR + i, 1, 'b', 'y')),
    clickAt(8 * DAY + 2 * HOUR, 0, 'a', 'x', { delayMs: 60_000, status: 'declined', payout: '1' }),
  ],
  head: 1,
  compaction: 'all',
  tz: 'UTC',
  attributeBy: 'click',
  order: ['sub1', 'sub2'],
  fromQ: 0,
  toQ: 0,
};

interface Hand {
  clicks: number;
  approved: number;
  pending: number;
  declined: number;
}

describe.each(BOTH_DRIVERS)('sub1,sub2 reports from the pair grain on %s', (driver) => {
  let db: TestDatabase;
  let offerId: string;
  let sourceId: string;
  let run = 0;

  beforeAll(async () => {
    db = await openTestDatabase(driver);
    const network = await new NetworkRepository(db.client).create({ name: 'N', slug: 'n', adapter: 'generic', adapterConfig: {}, attributionWindowDays: 30 });
    offerId = (await new OfferRepository(db.client).create({ name: 'O', networkId: network.id, url: 'https://o.example/?c={click_id}', payout: '1' })).id;
    sourceId = (await new TrafficSourceRepository(db.client).create({ name: 'S', postbackUrl: 'https://s.example/pb', method: 'GET' })).id;
  }, 60_000);

  afterAll(async () => {
    await db?.drop();
  });

  it('keeps totals exact, unmarked rows exact, marked rows lower bounds and (other) the rest', async () => {
    // What the runs exercised: the property must have met approximate answers with cut rows and an (other) row.
    const seen = { approximate: 0, lowerBound: 0, other: 0 };
    await fc.assert(
      fc.asyncProperty(scenarioArb, async (s) => {
        const base = START + run++ * RUN_SPAN;
        const campaigns = new CampaignRepository(db.client);
        const ids = [
          (await campaigns.create({ name: 'C1', trafficSourceId: sourceId, offerId, costModel: 'cpc', costValue: '0.1' })).id,
          (await campaigns.create({ name: 'C2', trafficSourceId: sourceId, offerId, costModel: 'cpc', costValue: '0.25' })).id,
        ];
        const sorted = s.clicks.map((c, i) => ({ ...c, i })).sort((a, b) => a.atMs - b.atMs || a.i - b.i);
        const stored = sorted.map((c) => {
          const createdAt = new Date(base + c.atMs);
          const click: NewClick = {
            id: newClickId(createdAt.getTime()),
            campaignId: ids[c.campaign],
            subs: { ...(c.sub1 ? { sub1: c.sub1 } : {}), ...(c.sub2 ? { sub2: c.sub2 } : {}) },
            createdAt,
          };
          return { click, spec: c };
        });
        const clickRepo = new ClickRepository(db.client);
        for (let i = 0; i < stored.length; i += 9) await clickRepo.insertMany(stored.slice(i, i + 9).map((c) => c.click));
        const recorder = new PostbackRecorder(db.client);
        for (const { click, spec } of stored) {
          if (!spec.conversion) continue;
          const receivedAt = new Date(click.createdAt!.getTime() + spec.conversion.delayMs);
          await recorder.record({
            channel: 's2s',
            clickId: click.id,
            params: {},
            txid: `t${run}-${spec.i}`,
            goal: '',
            payout: spec.conversion.payout,
            revenue: '3',
            currency: 'USD',
            status: spec.conversion.status as 'approved',
            receivedAt,
          });
        }

        const pairs = new SubPairRollups(db.client, s.head);
        const farFuture = new Date(base + 400 * DAY);
        if (s.compaction === 'some') await pairs.compactPending(farFuture, { max: 3 });
        if (s.compaction === 'all' || s.compaction === 'stale') await pairs.compactPending(farFuture);
        if (s.compaction === 'stale') {
          // A click stored late into a compacted day: that day and its week no longer match click_totals.
          const at = stored[0].click.createdAt!.getTime() + 1000;
          await clickRepo.insertMany([{ id: newClickId(at), campaignId: ids[0], subs: { sub1: 'late', sub2: 'x' }, createdAt: new Date(at) }]);
        }
        // Every click and conversion stored so far (the report is over all campaigns, earlier runs' too), counted below in plain code.
        const { rows: clickRows } = await db.client.query<{ sub1: string | null; sub2: string | null; created_at: Date }>(
          'SELECT sub1, sub2, created_at FROM clicks',
        );
        const { rows: conversionRows } = await db.client.query<{ sub1: string | null; sub2: string | null; click_at: Date; created_at: Date; status: string }>(
          'SELECT sub1, sub2, click_at, created_at, status FROM conversions',
        );

        const from = base + s.fromQ * 900_000;
        const to = Math.max(from + 900_000, base + SPAN - s.toQ * 900_000);
        const q: StatsQuery = {
          from: new Date(from),
          to: new Date(to),
          tz: s.tz,
          groupBy: s.order,
          filters: {},
          attributeBy: s.attributeBy,
          currency: 'USD',
        };
        const stats = new StatsRepository(db.client);
        const page = await stats.page(q, { sort: [{ column: 'clicks', descending: true }] });
        const exact = await stats.page({ ...q, exact: true }, { sort: [{ column: 'clicks', descending: true }] });

        // By hand: clicks by their time, conversions by their click's time or their own.
        const hand = new Map<string, Hand>();
        const add = (pair: string, k: keyof Hand) => {
          const h = hand.get(pair) ?? { clicks: 0, approved: 0, pending: 0, declined: 0 };
          h[k] += 1;
          hand.set(pair, h);
        };
        for (const c of clickRows) {
          const t = new Date(c.created_at).getTime();
          if (t >= from && t < to) add(pairKey(c.sub1, c.sub2), 'clicks');
        }
        for (const c of conversionRows) {
          const t = new Date(s.attributeBy === 'click' ? c.click_at : c.created_at).getTime();
          if (t >= from && t < to) add(pairKey(c.sub1, c.sub2), c.status as keyof Hand);
        }
        const sumOf = (k: keyof Hand) => [...hand.values()].reduce((n, h) => n + h[k], 0);
        const figure = (g: StatsGroup, k: keyof Hand) => Number(g.sums[k]);
        const keyOf = (g: StatsGroup) => pairKey(g.keys.sub1, g.keys.sub2);

        // (a) The totals are exact, whichever path answered, and equal the exact path's.
        for (const k of ['clicks', 'approved', 'pending', 'declined'] as const) expect(Number(page.totals[k])).toBe(sumOf(k));
        expect(page.totals).toEqual(exact.totals);
        expect(exact.approximation).toBeUndefined();
        expect(exact.groups.map((g) => [keyOf(g), figure(g, 'clicks'), figure(g, 'approved')]).sort()).toEqual(
          [...hand.entries()].map(([pair, h]) => [pair, h.clicks, h.approved]).sort(),
        );

        if (s.compaction === 'none') {
          // (d) Nothing compacted: the exact path, unmarked.
          expect(page.approximation).toBeUndefined();
          expect(page.groups).toEqual(exact.groups);
          return;
        }
        if (!page.approximation) {
          // The range holds no whole compacted day (short, or every bucket of it stale): exact.
          expect(page.groups).toEqual(exact.groups);
          return;
        }
        expect(page.approximation?.kind).toBe('head_pairs');
        if (page.approximation.headPairs !== null) expect(page.approximation.headPairs).toBe(s.head);
        seen.approximate += 1;
        seen.lowerBound += page.groups.filter((g) => g.mark === 'lowerBound').length;
        seen.other += page.groups.filter((g) => g.mark === 'other').length;
        const listed = page.groups.filter((g) => g.mark !== 'other');
        const others = page.groups.filter((g) => g.mark === 'other');
        expect(others.length).toBeLessThanOrEqual(1);
        for (const g of listed) {
          const h = hand.get(keyOf(g)) ?? { clicks: 0, approved: 0, pending: 0, declined: 0 };
          // (b) and (c): clicks exact or a lower bound; conversions exact for every listed pair.
          if (g.mark === 'exact') expect(figure(g, 'clicks')).toBe(h.clicks);
          else expect(figure(g, 'clicks')).toBeLessThanOrEqual(h.clicks);
          for (const k of ['approved', 'pending', 'declined'] as const) expect(figure(g, k)).toBe(h[k]);
        }
        // (c) "(other)" holds exactly what the listed rows do not.
        for (const k of ['clicks', 'approved', 'pending', 'declined'] as const) {
          const rest = sumOf(k) - listed.reduce((n, g) => n + figure(g, k), 0);
          expect(others.length ? figure(others[0], k) : 0).toBe(rest);
        }
        // Nothing cut in any bucket: every listed row is exact.
        const { rows } = await db.client.query<{ cut: number }>('SELECT coalesce(sum(cut_pairs), 0)::int AS cut FROM sub_pair_buckets WHERE bucket >= $1', [
          new Date(base),
        ]);
        if (rows[0].cut === 0) expect(listed.every((g) => g.mark === 'exact')).toBe(true);
      }),
      // The drawn runs explore, new ones on every CI run (12 keep this file near 13 s of CI's budget); CUT_PAIRS
      // makes the coverage checks below hold on every run (at 20 drawn runs and without it, about one run in
      // seven drew no case with a cut pair).
      { numRuns: 12, examples: [[CUT_PAIRS]] },
    );
    expect(seen.approximate).toBeGreaterThan(0);
    expect(seen.lowerBound).toBeGreaterThan(0);
    expect(seen.other).toBeGreaterThan(0);
  }, 240_000);
});

function pairKey(sub1: string | null | undefined, sub2: string | null | undefined): string {
  return `${sub1 ?? ''}|${sub2 ?? ''}`;
}
