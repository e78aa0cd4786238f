import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { Client } from 'pg';
import { createPostgresDatabase } from '../libs/persistence/src/test-support/databases';
import { waitUntil } from './support/wait-until';
import { PostwireProcess } from './support/postwire-process';
import { Receiver } from './support/receiver';
import { getJson, setUpCampaign, type Setup } from './support/scenario';

// 600 clicks at 40 at a time keep both trackers' click batches and 120 raced duplicate postbacks going; 2,000
// cost 40 s of CI for the same proof.
const CLICKS = 600;
const CONCURRENCY = 40;

/** Runs `work` over `items` with at most `limit` in flight. */
async function inParallel<T, R>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await work(items[i], i);
      }
    }),
  );
  return results;
}

async function clickOn(app: PostwireProcess, campaignId: string, i: number): Promise<string> {
  const res = await fetch(`${app.url}/c/${campaignId}?external_id=ext-${i}&sub1=scale`, { redirect: 'manual' });
  if (res.status !== 302) throw new Error(`click ${i} answered ${res.status}: ${await res.text()}`);
  return new URL(res.headers.get('location')!).searchParams.get('cid')!;
}

/**
 * Two tracker processes behind one PostgreSQL database, the way they run behind a load balancer,
 * under a few thousand clicks and postbacks split between them: every redirect is exactly one
 * stored click, every postback one conversion and one delivery, however many copies of it arrive
 * at both trackers at once.
 */
describe('scale-out: two trackers on one database', () => {
  let db: { url: string; drop: () => Promise<void> };
  let sql: Client;
  let receiver: Receiver;
  const trackers: PostwireProcess[] = [];
  let setup: Setup;
  const shared = { QUEUE_PREFIX: 'pwscale' + randomBytes(4).toString('hex'), SECRETS_KEY: randomBytes(32).toString('hex') };

  beforeAll(async () => {
    db = await createPostgresDatabase();
    receiver = await Receiver.start();
    const env = { ...shared, DATABASE_URL: db.url };
    // One after the other: both would run the migrations at once otherwise, which is not what this test is about.
    trackers.push(await PostwireProcess.start({ entry: 'tracker', env }));
    trackers.push(await PostwireProcess.start({ entry: 'tracker', env }));
    setup = await setUpCampaign(trackers[0], receiver.url);
    sql = new Client({ connectionString: db.url });
    await sql.connect();
  });

  afterAll(async () => {
    await sql?.end();
    await Promise.all(trackers.map((t) => t.dispose()));
    await receiver?.close();
    await db?.drop();
    const redis = new Redis({ lazyConnect: true, maxRetriesPerRequest: 1 });
    await redis.connect().catch(() => undefined);
    let cursor = '0';
    for (let round = 0; round < 100 && redis.status === 'ready'; round++) {
      const [nextCursor, keys] = await redis.scan(cursor, 'MATCH', `${shared.QUEUE_PREFIX}:*`, 'COUNT', 1000);
      if (keys.length) await redis.unlink(...keys);
      cursor = nextCursor;
      if (cursor === '0') break;
    }
    redis.disconnect();
  });

  const count = async (query: string, params: unknown[] = []) => (await sql.query<{ n: number }>(query, params)).rows[0].n;

  let clickIds: string[] = [];

  it('stores every click either tracker redirected, exactly once', async () => {
    clickIds = await inParallel(
      Array.from({ length: CLICKS }, (_, i) => i),
      CONCURRENCY,
      (i) => clickOn(trackers[i % 2], setup.campaignId, i),
    );
    expect(new Set(clickIds).size).toBe(CLICKS);
    // Clicks are written in batches a few ms after their redirect.
    await waitUntil(
      async () => (await count('SELECT count(*)::int AS n FROM clicks WHERE campaign_id = $1', [setup.campaignId])) >= CLICKS,
      10_000,
      'clicks stored',
    );
    const stored = (await sql.query<{ id: string }>('SELECT id FROM clicks WHERE campaign_id = $1', [setup.campaignId])).rows.map((r) => r.id);
    expect(stored).toHaveLength(CLICKS);
    expect(new Set(stored)).toEqual(new Set(clickIds));
  });

  it('makes one conversion and one delivery per postback, with every fifth sent to both trackers at once', async () => {
    expect(clickIds).toHaveLength(CLICKS);
    const send = (app: PostwireProcess, clickId: string, i: number) =>
      getJson<{ status: string; conversion_id?: string }>(`${app.url}/postback?click_id=${clickId}&txid=scale-${i}&amount=3.00`);
    const outcomes = await inParallel(clickIds, CONCURRENCY, async (clickId, i) => {
      const copies = i % 5 === 0 ? [trackers[0], trackers[1]] : [trackers[i % 2]];
      const answers = await Promise.all(copies.map((app) => send(app, clickId, i)));
      for (const a of answers) expect(a.status).toBe(200);
      return answers.map((a) => a.body);
    });
    for (const copies of outcomes) {
      expect(copies.filter((c) => c.status === 'accepted')).toHaveLength(1);
      expect(copies.filter((c) => c.status !== 'accepted').map((c) => c.status)).toEqual(copies.length === 2 ? ['duplicate'] : []);
      // Both copies name the same conversion.
      expect(new Set(copies.map((c) => c.conversion_id)).size).toBe(1);
    }
    expect(await count('SELECT count(*)::int AS n FROM conversions WHERE campaign_id = $1', [setup.campaignId])).toBe(CLICKS);
    expect(await count('SELECT count(DISTINCT click_id)::int AS n FROM conversions WHERE campaign_id = $1', [setup.campaignId])).toBe(CLICKS);
    expect(
      await count('SELECT count(*)::int AS n FROM deliveries d JOIN conversions c ON c.id = d.conversion_id WHERE c.campaign_id = $1', [setup.campaignId]),
    ).toBe(CLICKS);
    expect(await count(`SELECT count(*)::int AS n FROM postbacks WHERE outcome = 'duplicate'`)).toBe(CLICKS / 5);
  });

  it('attributes a postback that arrives at the same tracker right after its click, before the click batch is written', async () => {
    const results = await inParallel(
      Array.from({ length: 200 }, (_, i) => i),
      CONCURRENCY,
      async (i) => {
        const app = trackers[i % 2];
        const clickId = await clickOn(app, setup.campaignId, CLICKS + i);
        return (await getJson<{ status: string }>(`${app.url}/postback?click_id=${clickId}&txid=fast-${i}`)).body.status;
      },
    );
    expect(results.filter((s) => s !== 'accepted')).toEqual([]);
  });
});
