import fc from 'fast-check';
import {
  assembleReport,
  bucketOf,
  BUCKET_MS,
  EMPTY_SUMS,
  newClickId,
  periodLabel,
  REPORT_COLUMNS,
  reportFigures,
  toMicros,
  zoneOffsetMs,
  type ReportDimension,
  type RowSums,
} from '@postwire/core';
import { CampaignRepository } from './repositories/campaign.repository';
import { ClickRepository, type NewClick } from './repositories/click.repository';
import { CostRepository } from './repositories/cost.repository';
import { NetworkRepository } from './repositories/network.repository';
import { OfferRepository } from './repositories/offer.repository';
import { PostbackRecorder } from './repositories/postback-recorder';
import { StatsRepository, type StatsQuery } from './repositories/stats.repository';
import { SubValueRollups } from './repositories/sub-value-rollups';
import { TrafficSourceRepository } from './repositories/traffic-source.repository';
import { BOTH_DRIVERS, openTestDatabase, type TestDatabase } from './test-support/databases';

/**
 * Rollup-based report figures must equal a brute-force recount of the raw rows: random clicks,
 * conversions, status moves, cost models, cost corrections, currencies and time zones. The recount
 * below reads clicks and conversions and adds them up in plain code; it shares no SQL with the report.
 */
const BASE = Date.UTC(2026, 2, 7, 0, 0); // spans the US DST switch of 2026-03-08
// Ten days: the ISO week of 9-15 March is whole inside most ranges (sub_value_rollups' weekly rows).
const SPAN_MS = 10 * 86_400_000;
const ZONES = ['UTC', 'Asia/Kathmandu', 'Asia/Kolkata', 'America/New_York', 'Australia/Lord_Howe', 'Pacific/Chatham'];
const DIMS: ReportDimension[] = ['day', 'hour', 'campaign', 'country', 'deviceType', 'goal', 'sub1', 'offer'];

const clickArb = fc.record({
  campaign: fc.nat(1),
  atMs: fc.integer({ min: 0, max: SPAN_MS - 1 }),
  country: fc.constantFrom('US', 'DE', ''),
  device: fc.constantFrom('mobile', 'desktop'),
  sub1: fc.constantFrom('a', 'b', undefined),
  visitor: fc.nat(3),
  autoCost: fc.constantFrom('0.01', '0.333333', undefined, 'bad'),
  conversion: fc.option(
    fc.record({
      delayMs: fc.integer({ min: 0, max: 86_400_000 }),
      status: fc.constantFrom('approved', 'pending', 'declined'),
      payout: fc.constantFrom('1', '2.5', '0.333333', '10'),
      revenue: fc.constantFrom('3', '7.77'),
      currency: fc.constantFrom('USD', 'EUR', 'GBP'),
      goal: fc.constantFrom('', 'sale'),
      moveTo: fc.constantFrom(undefined, 'approved', 'declined', 'refunded'),
    }),
    { nil: undefined },
  ),
});

const scenarioArb = fc.record({
  clicks: fc.array(clickArb, { minLength: 1, maxLength: 30 }),
  models: fc.tuple(
    fc.constantFrom(['cpc', '0.05'], ['cpa', '1.5'], ['revshare', '33.333333'], ['auto', null], ['none', null]),
    fc.constantFrom(['cpc', '0.1'], ['auto', null], ['revshare', '50']),
  ),
  correction: fc.option(
    fc.record({ fromQ: fc.integer({ min: 0, max: 200 }), lenQ: fc.integer({ min: 1, max: 100 }), amount: fc.constantFrom('10', '0.000007', '1234.56789') }),
    { nil: undefined },
  ),
  eurRate: fc.constantFrom('1.1', '0.9', '1.234567'),
  tz: fc.constantFrom(...ZONES),
  groupBy: fc.shuffledSubarray(DIMS, { minLength: 1, maxLength: 2 }).filter((g) => g.filter((d) => d === 'day' || d === 'hour').length <= 1),
  attributeBy: fc.constantFrom<'click' | 'conversion'>('click', 'conversion'),
  countryFilter: fc.constantFrom(undefined, ['US'], ['DE', '']),
  goalFilter: fc.constantFrom(undefined, undefined, ['sale']),
  subFilter: fc.constantFrom(undefined, undefined, ['a'], ['', 'b']),
  // A page of the report: sorted by a figure (ties by the group keys), cut at an offset.
  page: fc.record({
    // Every registry column: its SQL (the database's sort) must order as its exact math does.
    column: fc.constantFrom(...REPORT_COLUMNS),
    descending: fc.boolean(),
    limit: fc.integer({ min: 1, max: 3 }),
    offset: fc.integer({ min: 0, max: 3 }),
  }),
  // false: no country, device or sub id anywhere, so the report reads the per-campaign totals
  // (days, hours and quarters over the cover) rather than the 15-minute detail or the raw rows.
  detail: fc.boolean(),
  // A report by sub1 over every campaign (no scope, no filter but sub1), which reads sub_value_rollups
  // where they are written: none, the newest few buckets (a backfill under way), all, or all and then
  // a click stored into a written day (a journal replayed late), which makes its day and week stale;
  // or all and then a conversion written for a click of a written day (a late conversion, a status
  // move), which makes their conversion side stale (migration 033).
  across: fc.constantFrom(undefined, undefined, ['sub1'], ['sub1', 'day'], ['hour', 'sub1']) as fc.Arbitrary<ReportDimension[] | undefined>,
  compaction: fc.constantFrom('none', 'some', 'all', 'stale', 'late conversion', 'status move'),
  // The value rollups hold conversion money only for buckets whose conversions are all in the report's currency.
  oneCurrency: fc.boolean(),
  // Range ends off the hour and off the day, so the cover has hours and quarters at its ends.
  fromQ: fc.integer({ min: 0, max: 191 }),
  toQ: fc.integer({ min: 0, max: 191 }),
});

const COARSE = new Set<ReportDimension>(['day', 'hour', 'campaign', 'goal', 'offer']);

describe.each(BOTH_DRIVERS)('report rollups equal a brute-force recount on %s', (driver) => {
  let db: TestDatabase;
  let networkId: string;
  let offerId: string;
  let sourceId: string;
  // Every campaign of every run: a report over all campaigns counts them all.
  const allModels = new Map<string, { model: string; value: string | null }>();

  beforeAll(async () => {
    db = await openTestDatabase(driver);
    const network = await new NetworkRepository(db.client).create({ name: 'N', slug: 'n', adapter: 'generic', adapterConfig: {}, attributionWindowDays: 30 });
    networkId = network.id;
    offerId = (await new OfferRepository(db.client).create({ name: 'O', networkId, url: 'https://o.example/?c={click_id}', payout: '1' })).id;
    sourceId = (await new TrafficSourceRepository(db.client).create({ name: 'S', postbackUrl: 'https://s.example/pb', method: 'GET' })).id;
    // Fixed rates for the whole test: EUR rates are per run below; GBP never has one (unconverted).
    await new CostRepository(db.client).putRates([{ currency: 'EUR', day: '2026-03-01', rate: '1.05' }]);
  }, 60_000);

  afterAll(async () => {
    await db?.drop();
  });

  it('for random traffic, conversions, status moves, costs and zones', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, async (s) => {
        const campaigns = new CampaignRepository(db.client);
        const ids: string[] = [];
        const models = new Map<string, { model: string; value: string | null }>();
        for (const [model, value] of s.models) {
          const c = await campaigns.create({ name: 'C', trafficSourceId: sourceId, offerId, costModel: model as 'cpc', costValue: value });
          ids.push(c.id);
          models.set(c.id, { model, value });
          allModels.set(c.id, { model, value });
        }
        await new CostRepository(db.client).putRates([{ currency: 'EUR', day: '2026-03-08', rate: s.eurRate }]);
        // Clicks in time order, in batches of up to 7, as the writer would store them.
        const sorted = s.clicks.map((c, i) => ({ ...c, i })).sort((a, b) => a.atMs - b.atMs || a.i - b.i);
        const stored: Array<NewClick & { spec: (typeof sorted)[number] }> = sorted.map((c) => {
          const createdAt = new Date(BASE + c.atMs);
          const m = models.get(ids[c.campaign])!;
          const auto = m.model === 'auto';
          const cost = m.model === 'cpc' ? m.value! : auto && c.autoCost && c.autoCost !== 'bad' ? c.autoCost : '0';
          return {
            id: newClickId(createdAt.getTime()),
            campaignId: ids[c.campaign],
            subs: c.sub1 ? { sub1: c.sub1 } : {},
            createdAt,
            spec: c,
            enrichment: {
              country: c.country,
              deviceType: c.device,
              os: 'iOS',
              browser: 'Safari',
              referrerDomain: null,
              visitorKey: `v${c.visitor}`,
              cost,
              costMissing: auto && (c.autoCost === undefined || c.autoCost === 'bad'),
            },
          };
        });
        const clickRepo = new ClickRepository(db.client);
        for (let i = 0; i < stored.length; i += 7) await clickRepo.insertMany(stored.slice(i, i + 7).map(({ spec: _spec, ...c }) => c));
        const recorder = new PostbackRecorder(db.client);
        let tx = 0;
        const txids = new Map<string, string>();
        for (const c of stored) {
          const cv = c.spec.conversion;
          if (!cv) continue;
          const txid = `t${Date.now()}-${tx++}-${Math.random()}`;
          txids.set(c.id, txid);
          const receivedAt = new Date(c.createdAt.getTime() + cv.delayMs);
          const base = {
            channel: 's2s' as const,
            clickId: c.id,
            params: {},
            txid,
            goal: cv.goal,
            payout: cv.payout,
            revenue: cv.revenue,
            currency: s.oneCurrency ? 'USD' : cv.currency,
          };
          await recorder.record({ ...base, status: cv.status as 'approved', receivedAt });
          if (cv.moveTo) await recorder.record({ ...base, status: cv.moveTo as 'approved', receivedAt: new Date(receivedAt.getTime() + 1000) });
        }
        if (s.correction) {
          const from = new Date(BASE + s.correction.fromQ * BUCKET_MS);
          const to = new Date(from.getTime() + s.correction.lenQ * BUCKET_MS);
          await new CostRepository(db.client).correct(ids[0], { from, to, amount: { total: s.correction.amount }, currency: null, setBy: null });
        }

        const subValues = new SubValueRollups(db.client);
        const farFuture = new Date(BASE + 400 * 86_400_000);
        if (s.compaction === 'some') await subValues.compactPending(farFuture, { max: 3 });
        if (s.compaction !== 'none' && s.compaction !== 'some') await subValues.compactPending(farFuture);
        if (s.compaction === 'stale') {
          const createdAt = new Date(BASE + s.clicks[0].atMs);
          await clickRepo.insertMany([{ id: newClickId(createdAt.getTime()), campaignId: ids[0], subs: { sub1: 'late' }, createdAt }]);
        }
        if (s.compaction === 'late conversion' || s.compaction === 'status move') {
          // Days after their clicks: a conversion's status moves (the first converted click), or a click
          // without one gets its conversion (the first such click); either when there is no click of the other kind.
          const converted = stored.find((c) => c.spec.conversion);
          const bare = stored.find((c) => !c.spec.conversion);
          const move = converted && (s.compaction === 'status move' || !bare) ? converted : undefined;
          const c = move ?? bare!;
          const cv = move?.spec.conversion;
          await recorder.record({
            channel: 's2s',
            clickId: c.id,
            params: {},
            txid: move ? txids.get(move.id)! : `late-${c.id}`,
            goal: cv ? cv.goal : '',
            payout: cv ? cv.payout : '4.2',
            revenue: '5',
            currency: cv && !s.oneCurrency ? cv.currency : 'USD',
            status: cv ? ((cv.moveTo ?? cv.status) === 'declined' ? 'approved' : 'declined') : 'approved',
            receivedAt: new Date(c.createdAt.getTime() + 3 * 86_400_000),
          });
        }

        const coarseGroupBy = s.groupBy.filter((d) => COARSE.has(d));
        const groupBy = s.across ?? (s.detail ? s.groupBy : coarseGroupBy.length ? coarseGroupBy : (['campaign'] as ReportDimension[]));
        const filters: StatsQuery['filters'] = {};
        if (!s.across && s.detail && s.countryFilter) filters.country = [...s.countryFilter];
        if (!s.across && s.goalFilter) filters.goal = [...s.goalFilter];
        if ((s.across || s.detail) && s.subFilter) filters.sub1 = [...s.subFilter];
        const query: StatsQuery = {
          from: new Date(BASE - 86_400_000 + s.fromQ * BUCKET_MS),
          to: new Date(BASE + SPAN_MS + 2 * 86_400_000 - s.toQ * BUCKET_MS),
          tz: s.tz,
          groupBy,
          filters,
          attributeBy: s.attributeBy,
          currency: 'USD',
          ...(s.across ? {} : { allowedCampaignIds: ids }),
        };
        const groups = await new StatsRepository(db.client).groups(query);
        const expected = s.across ? await bruteForce(db, query, [...allModels.keys()], allModels) : await bruteForce(db, query, ids, models);
        const actual = assembleReport(groups, { groupBy: query.groupBy, sort: [] });
        const want = assembleReport(expected, { groupBy: query.groupBy, sort: [] });
        const strip = (rows: Record<string, unknown>[]) => rows.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => !k.endsWith('Name'))));
        expect(strip(actual.rows)).toEqual(strip(want.rows));
        expect(actual.totals).toEqual(want.totals);

        // The page the database sorts and cuts is the page of the recount, and its totals and count cover every group.
        const sort = [{ column: s.page.column as 'clicks', descending: s.page.descending }];
        const page = await new StatsRepository(db.client).page(query, { sort, limit: s.page.limit, offset: s.page.offset });
        const wantPage = assembleReport(expected, { groupBy: query.groupBy, sort, limit: s.page.limit, offset: s.page.offset });
        const pageRows = page.groups.map((g) => ({ ...g.keys, ...reportFigures(g.sums) }));
        expect(strip(pageRows)).toEqual(strip(wantPage.rows));
        expect(page.totalRows).toBe(want.totalRows);
        expect(assembleReport([{ keys: {}, names: {}, sums: page.totals }], { groupBy: [], sort: [] }).totals).toEqual(want.totals);
      }),
      // Each CI run draws new cases (fast-check prints the seed of a failure); 12 and 18 a run keep this file
      // near 25 s of CI's budget instead of 50.
      { numRuns: driver === 'pglite' ? 12 : 18 },
    );
  }, 240_000);
});

// Raw rows as the driver returns them; the recount reads their columns by name.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Row = Record<string, any>;

/** Adds up raw rows in plain code: the report as a person would count it. */
async function bruteForce(db: TestDatabase, q: StatsQuery, ids: string[], models: Map<string, { model: string; value: string | null }>) {
  const { rows: clicks } = await db.client.query<Row>('SELECT * FROM clicks WHERE campaign_id = ANY($1::uuid[])', [ids]);
  const { rows: conversions } = await db.client.query<Row>('SELECT * FROM conversions WHERE campaign_id = ANY($1::uuid[])', [ids]);
  const { rows: corrections } = await db.client.query<Row>('SELECT * FROM cost_corrections WHERE campaign_id = ANY($1::uuid[]) ORDER BY id', [ids]);
  const { rows: rates } = await db.client.query<Row>(`SELECT currency, to_char(day, 'YYYY-MM-DD') AS day, rate::text AS rate FROM currency_rates ORDER BY day`);
  const { rows: offers } = await db.client.query<Row>('SELECT id, offer_id FROM campaigns WHERE id = ANY($1::uuid[])', [ids]);
  const offerOf = new Map(offers.map((o) => [o.id, o.offer_id]));
  // The latest correction covering a click's bucket governs it.
  const governing = (campaignId: string, at: number) =>
    [...corrections].reverse().find((c) => c.campaign_id === campaignId && at >= new Date(c.range_from).getTime() && at < new Date(c.range_to).getTime());
  const SCALE12 = 10n ** 12n;
  const rateOf = (currency: string, at: number): bigint | null => {
    if (currency === 'USD') return 10n ** 6n;
    const day = new Date(at).toISOString().slice(0, 10);
    const r = rates.filter((x) => x.currency === currency && x.day <= day).pop();
    return r ? toMicros(r.rate) : null;
  };
  const groups = new Map<
    string,
    {
      keys: Record<string, string>;
      sums: RowSums;
      exact: { payout: bigint; approvedPayout: bigint; declinedPayout: bigint; refundedPayout: bigint; saleAmount: bigint; cost: bigint };
    }
  >();
  const keyOf = (campaignId: string, at: number, row: Row, goal: string) => {
    const keys: Record<string, string> = {};
    for (const d of q.groupBy) {
      if (d === 'day' || d === 'hour') {
        const b = bucketOf(at);
        keys[d] = periodLabel(b, zoneOffsetMs(b, q.tz), d);
      } else if (d === 'campaign') keys[d] = campaignId;
      else if (d === 'offer') keys[d] = offerOf.get(campaignId);
      else if (d === 'country') keys[d] = row.country;
      else if (d === 'deviceType') keys[d] = row.device_type;
      else if (d === 'goal') keys[d] = goal;
      else if (d === 'sub1') keys[d] = row.sub1 ?? '';
      else throw new Error(`the recount does not know ${d}`);
    }
    return keys;
  };
  const inQuery = (at: number, row: Row, goal: string) =>
    at >= q.from.getTime() &&
    at < q.to.getTime() &&
    (!q.filters.country || q.filters.country.includes(row.country)) &&
    (!q.filters.goal || q.filters.goal.includes(goal)) &&
    (!q.filters.sub1 || q.filters.sub1.includes(row.sub1 ?? ''));
  const group = (keys: Record<string, string>) => {
    const k = JSON.stringify(keys);
    let g = groups.get(k);
    if (!g)
      groups.set(
        k,
        (g = { keys, sums: { ...EMPTY_SUMS }, exact: { payout: 0n, approvedPayout: 0n, declinedPayout: 0n, refundedPayout: 0n, saleAmount: 0n, cost: 0n } }),
      );
    return g;
  };
  for (const c of clicks) {
    const at = new Date(c.created_at).getTime();
    if (!inQuery(at, c, '')) continue;
    const g = group(keyOf(c.campaign_id, at, c, ''));
    g.sums.clicks += 1n;
    if (c.is_unique) g.sums.uniqueClicks += 1n;
    if (c.cost_missing) g.sums.clicksWithoutCost += 1n;
    const corr = governing(c.campaign_id, bucketOf(at));
    const cost = corr ? toMicros(corr.per_click) + (corr.first_click_id === c.id ? toMicros(corr.remainder) : 0n) : toMicros(c.cost);
    g.exact.cost += cost * 10n ** 6n;
  }
  for (const cv of conversions) {
    const clickAt = new Date(cv.click_at).getTime();
    const ownAt = new Date(cv.created_at).getTime();
    const at = q.attributeBy === 'click' ? clickAt : ownAt;
    if (!inQuery(at, cv, cv.goal)) continue;
    const g = group(keyOf(cv.campaign_id, at, cv, cv.goal));
    const status = cv.status as 'approved' | 'pending' | 'declined' | 'refunded';
    g.sums[status] += 1n;
    const counted = status === 'approved' || status === 'pending';
    const rate = rateOf(cv.currency.trim(), bucketOf(ownAt));
    if (counted && rate === null) g.sums.unconvertedConversions += 1n;
    const m = models.get(cv.campaign_id)!;
    const payout = toMicros(cv.payout ?? '0');
    if (counted && rate !== null) {
      g.exact.payout += payout * rate;
      if (status === 'approved') g.exact.approvedPayout += payout * rate;
      g.exact.saleAmount += toMicros(cv.revenue ?? '0') * rate;
    }
    if (status === 'declined' && rate !== null) g.exact.declinedPayout += payout * rate;
    if (status === 'refunded' && rate !== null) g.exact.refundedPayout += payout * rate;
    if (counted && !governing(cv.campaign_id, bucketOf(clickAt))) {
      if (m.model === 'cpa') g.exact.cost += toMicros(m.value!) * 10n ** 6n;
      if (m.model === 'revshare' && rate !== null) {
        // round(payout × pct / 100, 6) half up, then converted.
        const native = (payout * toMicros(m.value!) + 50n * 10n ** 6n) / (100n * 10n ** 6n);
        g.exact.cost += native * rate;
      }
    }
  }
  const round = (v: bigint) => (v + SCALE12 / 10n ** 6n / 2n) / (SCALE12 / 10n ** 6n);
  return [...groups.values()]
    .map((g) => ({
      keys: g.keys,
      names: {},
      sums: {
        ...g.sums,
        payout: round(g.exact.payout),
        approvedPayout: round(g.exact.approvedPayout),
        declinedPayout: round(g.exact.declinedPayout),
        refundedPayout: round(g.exact.refundedPayout),
        saleAmount: round(g.exact.saleAmount),
        cost: round(g.exact.cost),
      },
    }))
    .filter((g) => Object.values(g.sums).some((v) => v !== 0n));
}
