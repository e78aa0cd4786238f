import { newClickId } from '@postwire/core';
import { PostgresClient } from './client/postgres-client';
import type { SqlClient } from './client/sql-client';
import { CampaignRepository } from './repositories/campaign.repository';
import { ClickRepository } from './repositories/click.repository';
import { NetworkRepository } from './repositories/network.repository';
import { OfferRepository } from './repositories/offer.repository';
import { PostbackRecorder, PostbackRefused, type InboundConversion } from './repositories/postback-recorder';
import { TrafficSourceRepository } from './repositories/traffic-source.repository';
import { BOTH_DRIVERS, openTestDatabase, type TestDatabase } from './test-support/databases';

/**
 * Group commit of postbacks: the calls made together are recorded in one transaction with set-based
 * statements. What must not change is what each caller gets and what is stored, whatever the batch.
 */
describe.each(BOTH_DRIVERS)('postback group commit on %s', (driver) => {
  let db: TestDatabase;
  let clicks: ClickRepository;
  let campaignId: string;
  let networkId: string;
  let offerId: string;
  let transactions: number;

  /** Counts the transactions the recorder opens, so a test can tell one batch from many. */
  function counting(client: SqlClient): SqlClient {
    return new Proxy(client, {
      get(target, prop, receiver) {
        if (prop === 'transaction') {
          return (work: Parameters<SqlClient['transaction']>[0]) => {
            transactions++;
            return target.transaction(work);
          };
        }
        const value = Reflect.get(target, prop, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  }

  beforeAll(async () => {
    db = await openTestDatabase(driver);
    clicks = new ClickRepository(db.client);
    const network = await new NetworkRepository(db.client).create({ name: 'N', slug: 'n', adapter: 'generic', adapterConfig: {}, attributionWindowDays: 30 });
    const offer = await new OfferRepository(db.client).create({ name: 'O', networkId: network.id, url: 'https://o.example/?c={click_id}', payout: '2' });
    const source = await new TrafficSourceRepository(db.client).create({
      name: 'S',
      postbackUrl: 'https://s.example/pb?e={external_id}&st={status}',
      method: 'GET',
    });
    const campaign = await new CampaignRepository(db.client).create({
      name: 'C',
      trafficSourceId: source.id,
      offerId: offer.id,
      costModel: 'cpa',
      costValue: '0.5',
    });
    campaignId = campaign.id;
    networkId = network.id;
    offerId = offer.id;
  }, 60_000);

  afterAll(async () => {
    await db?.drop();
  });

  beforeEach(() => {
    transactions = 0;
  });

  async function newClicks(n: number): Promise<string[]> {
    const ids = Array.from({ length: n }, () => newClickId());
    await clicks.insertMany(ids.map((id) => ({ id, campaignId, externalId: 'ext', subs: { sub1: 'a' }, createdAt: new Date() })));
    return ids;
  }

  const postback = (clickId: string, extra: Partial<InboundConversion> = {}): InboundConversion => ({
    channel: 's2s',
    clickId,
    params: { click_id: clickId },
    receivedAt: new Date(),
    ...extra,
  });

  async function count(sql: string, params: unknown[]): Promise<number> {
    return (await db.client.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${sql}`, params)).rows[0].n;
  }

  it('records postbacks made together in one transaction, each caller answered with its own conversion and delivery', async () => {
    const recorder = new PostbackRecorder(counting(db.client));
    const ids = await newClicks(40);
    const results = await Promise.all(ids.map((id, i) => recorder.record(postback(id, { txid: `gc-a-${i}`, payout: `${i + 1}` }))));
    expect(transactions).toBe(1);
    expect(results.map((r) => r.outcome)).toEqual(ids.map(() => 'accepted'));
    expect(new Set(results.map((r) => r.conversionId)).size).toBe(40);
    const { rows } = await db.client.query<{ click_id: string; payout: string; cost: string; id: string }>(
      `SELECT click_id, payout::text, cost::text, id FROM conversions WHERE id = ANY($1::uuid[])`,
      [results.map((r) => r.conversionId)],
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    results.forEach((r, i) => {
      expect(byId.get(r.conversionId!)).toMatchObject({ click_id: ids[i], payout: `${i + 1}.000000`, cost: '0.500000' });
      expect(r.deliveryIds).toHaveLength(1);
    });
    expect(await count(`deliveries WHERE id = ANY($1::uuid[])`, [results.flatMap((r) => r.deliveryIds)])).toBe(40);
    expect(await count(`postbacks WHERE id = ANY($1::uuid[]) AND outcome = 'accepted'`, [results.map((r) => r.postbackId)])).toBe(40);
  });

  it('keeps dedup exact inside one batch: the same postback many times is one conversion, the rest duplicates', async () => {
    const recorder = new PostbackRecorder(counting(db.client));
    const [clickId] = await newClicks(1);
    const results = await Promise.all(Array.from({ length: 25 }, () => recorder.record(postback(clickId, { txid: 'gc-same', payout: '3' }))));
    expect(transactions).toBe(1);
    expect(results.filter((r) => r.outcome === 'accepted')).toHaveLength(1);
    expect(results.filter((r) => r.outcome === 'duplicate')).toHaveLength(24);
    expect(new Set(results.map((r) => r.conversionId)).size).toBe(1);
    expect(await count(`conversions WHERE click_id = $1`, [clickId])).toBe(1);
    expect(await count(`deliveries d JOIN conversions c ON c.id = d.conversion_id WHERE c.click_id = $1`, [clickId])).toBe(1);
  });

  it('applies status changes inside one batch in arrival order, as separate transactions would', async () => {
    const recorder = new PostbackRecorder(counting(db.client));
    const [clickId] = await newClicks(1);
    const [created, approved, again, refunded] = await Promise.all([
      recorder.record(postback(clickId, { txid: 'gc-st', status: 'pending', payout: '4' })),
      recorder.record(postback(clickId, { txid: 'gc-st', status: 'approved', payout: '4' })),
      recorder.record(postback(clickId, { txid: 'gc-st', status: 'approved', payout: '4' })),
      recorder.record(postback(clickId, { txid: 'gc-st', status: 'refunded' })),
    ]);
    expect(transactions).toBe(1);
    expect([created.outcome, approved.outcome, again.outcome, refunded.outcome]).toEqual(['accepted', 'updated', 'duplicate', 'updated']);
    const { rows } = await db.client.query<{ status: string; revision: number }>(`SELECT status, revision FROM conversions WHERE click_id = $1`, [clickId]);
    expect(rows).toEqual([{ status: 'refunded', revision: 3 }]);
    const history = await db.client.query<{ from_status: string | null; to_status: string }>(
      `SELECT from_status, to_status FROM conversion_status_history WHERE conversion_id = $1 ORDER BY id`,
      [created.conversionId],
    );
    expect(history.rows).toEqual([
      { from_status: null, to_status: 'pending' },
      { from_status: 'pending', to_status: 'approved' },
      { from_status: 'approved', to_status: 'refunded' },
    ]);
    const revisions = await db.client.query<{ revision: number }>(`SELECT revision FROM deliveries WHERE conversion_id = $1 ORDER BY revision`, [
      created.conversionId,
    ]);
    expect(revisions.rows.map((r) => r.revision)).toEqual([1, 2, 3]);
    // The report rollups hold the conversion once, refunded, whatever happened inside the batch.
    const totals = await db.client.query<{ pending: string; approved: string; refunded: string }>(
      `SELECT sum(pending)::text AS pending, sum(approved)::text AS approved, sum(refunded)::text AS refunded
       FROM conversion_totals WHERE campaign_id = $1 AND basis = 'conversion' AND grain = 86400`,
      [campaignId],
    );
    const before = await db.client.query<{ pending: string; approved: string; refunded: string }>(
      `SELECT count(*) FILTER (WHERE status = 'pending')::text AS pending, count(*) FILTER (WHERE status = 'approved')::text AS approved,
              count(*) FILTER (WHERE status = 'refunded')::text AS refunded FROM conversions WHERE campaign_id = $1`,
      [campaignId],
    );
    expect(totals.rows[0]).toEqual(before.rows[0]);
  });

  it('answers each caller for itself: unknown clicks, refusals and a postback the database refuses do not fail their neighbours', async () => {
    await db.client.query(`INSERT INTO offer_goals (offer_id, goal, many_per_click) VALUES ($1, 'upsell', true) ON CONFLICT DO NOTHING`, [offerId]);
    const recorder = new PostbackRecorder(counting(db.client));
    const ids = await newClicks(3);
    const settled = await Promise.allSettled([
      recorder.record(postback(ids[0], { txid: 'gc-ok-1' })),
      recorder.record(postback('no-such-click-' + ids[1])),
      recorder.record(postback(ids[1], { goal: 'upsell' })),
      // A lone surrogate is valid in a JS string and refused by jsonb: this postback's own statement error.
      recorder.record(postback(ids[2], { txid: 'gc-bad', params: { note: 'x\ud800y' } })),
      recorder.record(postback(ids[2], { txid: 'gc-ok-2' })),
    ]);
    const [ok1, unknown, refused, bad, ok2] = settled;
    expect(ok1).toMatchObject({ status: 'fulfilled', value: { outcome: 'accepted' } });
    expect(unknown).toMatchObject({ status: 'fulfilled', value: { outcome: 'unattributed', reason: 'unknown_click' } });
    expect(refused.status).toBe('rejected');
    expect((refused as PromiseRejectedResult).reason).toBeInstanceOf(PostbackRefused);
    expect(bad.status).toBe('rejected');
    expect(ok2).toMatchObject({ status: 'fulfilled', value: { outcome: 'accepted' } });
    // Nothing of the refused ones is stored; the others are, each once.
    expect(await count(`conversions WHERE txid = 'gc-bad'`, [])).toBe(0);
    expect(await count(`conversions WHERE click_id = $1`, [ids[1]])).toBe(0);
    expect(await count(`conversions WHERE txid IN ('gc-ok-1', 'gc-ok-2') AND network_id = $1`, [networkId])).toBe(2);
    expect(await count(`postbacks WHERE click_id = $1`, ['no-such-click-' + ids[1]])).toBe(1);
  });

  it('lets a lone postback through at once, in a transaction of its own', async () => {
    const recorder = new PostbackRecorder(counting(db.client));
    const ids = await newClicks(3);
    for (const [i, id] of ids.entries()) expect((await recorder.record(postback(id, { txid: `gc-lone-${i}` }))).outcome).toBe('accepted');
    expect(transactions).toBe(3);
  });

  if (driver === 'postgres') {
    it('plans a batch transaction generically, and only that transaction', async () => {
      const mode = async (tx: { query: SqlClient['query'] }) => (await tx.query<{ plan_cache_mode: string }>('SHOW plan_cache_mode')).rows[0].plan_cache_mode;
      expect(await db.client.transaction((tx) => mode(tx), { genericPlans: true })).toBe('force_generic_plan');
      expect(await db.client.transaction((tx) => mode(tx))).toBe('auto');
      // The pool hands the same connections out again: the setting ended with its transaction.
      const modes = await Promise.all(Array.from({ length: 25 }, () => mode(db.client)));
      expect(new Set(modes)).toEqual(new Set(['auto']));
    });

    it('keeps dedup exact across recorders with their own connections (two trackers) racing on the same conversions', async () => {
      const pools = [new PostgresClient({ connectionString: db.url!, max: 4 }), new PostgresClient({ connectionString: db.url!, max: 4 })];
      try {
        const recorders = pools.map((pool) => new PostbackRecorder(pool));
        const ids = await newClicks(30);
        // Every conversion is posted 3 times by each tracker, in batches that overlap in time.
        const calls = recorders.flatMap((recorder, r) =>
          [0, 1, 2].flatMap((round) => ids.map((id, i) => recorder.record(postback(id, { txid: `gc-race-${i}`, params: { r, round } })))),
        );
        const results = await Promise.all(calls);
        expect(results.filter((x) => x.outcome === 'accepted')).toHaveLength(30);
        expect(results.filter((x) => x.outcome === 'duplicate')).toHaveLength(150);
        expect(await count(`conversions WHERE click_id = ANY($1::text[])`, [ids])).toBe(30);
        expect(await count(`deliveries d JOIN conversions c ON c.id = d.conversion_id WHERE c.click_id = ANY($1::text[])`, [ids])).toBe(30);
      } finally {
        await Promise.all(pools.map((p) => p.close()));
      }
    });
  }
});
