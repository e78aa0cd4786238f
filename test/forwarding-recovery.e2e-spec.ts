import { Redis } from 'ioredis';
import { randomBytes } from 'node:crypto';
import { createPostgresDatabase } from '../libs/persistence/src/test-support/databases';
import { forwardingSettled } from './support/forwarding-settled';
import { freePort } from './support/ports';
import { waitUntil } from './support/wait-until';
import { PostwireProcess, type AppEntry } from './support/postwire-process';
import { Receiver, type ReceivedRequest } from './support/receiver';
import { RedisServer } from './support/redis-server';
import { click, getJson, setUpCampaign, type Setup } from './support/scenario';
import { listItems } from './support/paged';

/**
 * Forwarding must be at-least-once and, for the receiver, exactly-once by Idempotency-Key, through
 * every failure the issue names. Each case runs the built app as real processes on a real
 * PostgreSQL database and a real Redis, against a local receiver.
 */
describe('forwarding recovery', () => {
  let receiver: Receiver;
  let database: { url: string; drop: () => Promise<void> };
  const processes: PostwireProcess[] = [];
  const redisServers: RedisServer[] = [];

  beforeAll(async () => {
    receiver = await Receiver.start();
    database = await createPostgresDatabase();
  });

  afterEach(async () => {
    await Promise.all(processes.splice(0).map((p) => p.dispose()));
    await Promise.all(redisServers.splice(0).map((r) => r.down()));
  });

  afterAll(async () => {
    await receiver?.close();
    await database?.drop();
  });

  beforeEach(() => {
    receiver.requests.length = 0;
    receiver.respondWith(() => ({ status: 200, body: 'ok' }));
  });

  /** Processes sharing one database and one queue (same Redis, same prefix). */
  async function start(entry: AppEntry, env: Record<string, string> = {}): Promise<PostwireProcess> {
    const app = await PostwireProcess.start({ entry, env: { DATABASE_URL: database.url, FORWARD_RETRY_SCHEDULE: '0,300ms,300ms', ...env } });
    processes.push(app);
    return app;
  }

  async function privateRedis(): Promise<RedisServer> {
    const redis = await RedisServer.start();
    redisServers.push(redis);
    return redis;
  }

  async function postback(app: PostwireProcess, clickId: string, query = ''): Promise<string> {
    const res = await getJson<{ status: string; conversion_id: string }>(`${app.url}/postback?click_id=${clickId}&payout=1.5${query}`);
    expect(res).toMatchObject({ status: 200, body: { status: 'accepted' } });
    return res.body.conversion_id;
  }

  async function deliveryOf(app: PostwireProcess, conversionId: string, status: string, timeoutMs = 15_000) {
    type D = { id: string; status: string; attemptCount: number; attempts: Array<{ statusCode: number | null }> };
    let last: D | undefined;
    await waitUntil(
      async () => {
        const [row] = await listItems<{ id: string }>(app, `/api/deliveries?conversionId=${conversionId}`);
        last = row && (await app.api<D>('GET', `/api/deliveries/${row.id}`)).body;
        return last?.status === status;
      },
      timeoutMs,
      `delivery of ${conversionId} to be ${status}`,
    ).catch((error: Error) => {
      throw new Error(`${error.message}; it is ${JSON.stringify(last)}`);
    });
    return last!;
  }

  /** Requests the receiver answered with 2xx, so a count can tell "arrived" from "was tried". */
  const okAnswers = new WeakSet<ReceivedRequest>();

  /** Every Idempotency-Key the receiver saw, with how often it answered 2xx to it. */
  function successesByKey(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const r of receiver.requests) {
      const key = String(r.headers['idempotency-key']);
      counts.set(key, (counts.get(key) ?? 0) + (okAnswers.has(r) ? 1 : 0));
    }
    return counts;
  }
  const respondOk = () =>
    receiver.respondWith((r) => {
      okAnswers.add(r);
      return { status: 200, body: 'ok' };
    });

  async function conversions(app: PostwireProcess, setup: Setup, count: number, tracker: PostwireProcess[] = [app]): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const via = tracker[i % tracker.length];
      ids.push(await postback(via, await click(via, setup.campaignId, `external_id=ext-${i}`), `&txid=tx-${i}`));
    }
    return ids;
  }

  it('(1) delivers on the third attempt after 500, 500, and logs all three', async () => {
    const app = await start('standalone');
    const setup = await setUpCampaign(app, receiver.url);
    receiver.respondWith((_r, i) => ({ status: i < 2 ? 500 : 200, body: i < 2 ? 'not now' : 'ok' }));
    const conversionId = await postback(app, await click(app, setup.campaignId));
    const hits = await receiver.waitFor(3);
    const delivery = await deliveryOf(app, conversionId, 'delivered');
    expect(delivery.attemptCount).toBe(3);
    expect(delivery.attempts.map((a) => a.statusCode)).toEqual([500, 500, 200]);
    expect(new Set(hits.map((h) => h.headers['idempotency-key']))).toEqual(new Set([delivery.id]));
    await forwardingSettled(app, { conversionId });
    expect(receiver.requests).toHaveLength(3);
  });

  it('(2) accepts postbacks while Redis is down and delivers each exactly once when it is back', async () => {
    const redis = await privateRedis();
    const app = await start('standalone', { REDIS_URL: redis.url });
    const setup = await setUpCampaign(app, receiver.url);
    const clicks = await Promise.all(Array.from({ length: 20 }, (_, i) => click(app, setup.campaignId, `external_id=ext-${i}`)));
    respondOk();
    await redis.down();
    const started = Date.now();
    const ids = [];
    for (const [i, clickId] of clicks.entries()) ids.push(await postback(app, clickId, `&txid=down-${i}`));
    expect(Date.now() - started).toBeLessThan(10_000);
    const health = await getJson<{ redis: { ok: boolean } }>(`${app.url}/health`);
    expect(health).toMatchObject({ status: 200, body: { status: 'degraded', redis: { ok: false } } });
    // Every delivery is owed in Postgres and none was tried: without Redis nothing can send them.
    const owed = await listItems<{ status: string; attempts: number }>(app, `/api/deliveries?trafficSourceId=${setup.trafficSourceId}`);
    expect(owed.map((d) => [d.status, d.attempts])).toEqual(ids.map(() => ['pending', 0]));
    expect(receiver.requests).toHaveLength(0);

    await redis.up();
    await receiver.waitFor(20, 30_000);
    await Promise.all(ids.map((id) => deliveryOf(app, id, 'delivered')));
    expect(await forwardingSettled(app, { trafficSourceId: setup.trafficSourceId })).toHaveLength(20);
    const byKey = successesByKey();
    expect(byKey.size).toBe(20);
    expect([...byKey.values()].every((n) => n === 1)).toBe(true);
    expect(receiver.requests).toHaveLength(20);
  });

  it('(3) retries a delivery whose worker was killed (SIGKILL) in the middle of sending it', async () => {
    const shared = { QUEUE_PREFIX: 'pwkill' + randomBytes(4).toString('hex'), FORWARD_LOCK_MS: '1000', FORWARD_TIMEOUT_MS: '3000' };
    const tracker = await start('tracker', shared);
    const worker = await start('worker', shared);
    const setup = await setUpCampaign(tracker, receiver.url);
    // The first request hangs (a slow receiver); the worker dies while waiting for it.
    receiver.respondWith((r, i) => {
      if (i === 0) return { status: 200, delayMs: 20_000 };
      okAnswers.add(r);
      return { status: 200 };
    });
    const conversionId = await postback(tracker, await click(tracker, setup.campaignId));
    await receiver.waitFor(1);
    await worker.stop('SIGKILL');
    await start('worker', shared);
    const [first, second] = await receiver.waitFor(2, 20_000);
    expect(second.headers['idempotency-key']).toBe(first.headers['idempotency-key']);
    const delivery = await deliveryOf(tracker, conversionId, 'delivered');
    expect(delivery.attempts.map((a) => a.statusCode)).toEqual([200]);
    // Including the killed worker's stalled job, which the new worker finds settled.
    await forwardingSettled(tracker, { conversionId });
    expect(receiver.requests).toHaveLength(2);
  });

  it('(4) restores every pending delivery after Redis lost all its jobs (FLUSHALL)', async () => {
    const redis = await privateRedis();
    const app = await start('standalone', { REDIS_URL: redis.url, FORWARD_RETRY_SCHEDULE: '0,3s,3s' });
    const setup = await setUpCampaign(app, receiver.url);
    receiver.respondWith(() => ({ status: 503, body: 'maintenance' }));
    const ids = await conversions(app, setup, 10);
    await receiver.waitFor(10);
    // Every delivery now waits in Redis as a delayed job for its second attempt; lose them all.
    const client = new Redis(redis.url);
    try {
      await waitUntil(async () => (await client.zcard(`${app.env.QUEUE_PREFIX}:deliveries:delayed`)) === 10, 5000, 'ten delayed retry jobs');
      await client.flushall();
      expect(await client.dbsize()).toBe(0);
    } finally {
      client.disconnect();
    }
    respondOk();
    const delivered = await Promise.all(ids.map((id) => deliveryOf(app, id, 'delivered', 20_000)));
    expect(delivered.map((d) => d.attempts.map((a) => a.statusCode))).toEqual(ids.map(() => [503, 200]));
    expect(await forwardingSettled(app, { trafficSourceId: setup.trafficSourceId })).toHaveLength(10);
    const byKey = successesByKey();
    expect(byKey.size).toBe(10);
    expect([...byKey.values()].every((n) => n === 1)).toBe(true);
    expect(receiver.requests).toHaveLength(20);
  });

  it('(5) delivers 400 conversions exactly once with two trackers and two workers on one database and Redis', async () => {
    const [workerMetricsA, workerMetricsB] = [await freePort(), await freePort()];
    const shared = { QUEUE_PREFIX: 'pwscale' + randomBytes(4).toString('hex') };
    const trackers = await Promise.all([start('tracker', shared), start('tracker', shared)]);
    const workers = await Promise.all([
      start('worker', { ...shared, METRICS_PORT: String(workerMetricsA) }),
      start('worker', { ...shared, METRICS_PORT: String(workerMetricsB) }),
    ]);
    expect(workers).toHaveLength(2);
    const setup = await setUpCampaign(trackers[0], receiver.url);
    respondOk();
    // 400 keep both workers and both trackers busy together for seconds (each must take a share); 1,000 cost
    // 60 s of CI for the same proof. scale-out.e2e-spec.ts races the same postback at two trackers.
    const total = 400;
    const lanes = 16;
    await Promise.all(
      Array.from({ length: lanes }, async (_, lane) => {
        for (let i = lane; i < total; i += lanes) {
          const via = trackers[i % 2];
          await postback(via, await click(via, setup.campaignId, `external_id=ext-${i}`), `&txid=scale-${i}`);
        }
      }),
    );
    await receiver.waitFor(total, 60_000);
    expect(await forwardingSettled(trackers[0], { trafficSourceId: setup.trafficSourceId }, 60_000)).toHaveLength(total);
    const byKey = successesByKey();
    expect(byKey.size).toBe(total);
    expect([...byKey.values()].filter((n) => n !== 1)).toEqual([]);
    expect(receiver.requests).toHaveLength(total);
    expect(new Set(receiver.requests.map((r) => r.query.get('ext'))).size).toBe(total);
    // Both workers took a share, and together they report every delivery once.
    const delivered = await Promise.all([workerMetricsA, workerMetricsB].map((port) => deliveredCount(port)));
    expect(delivered.every((n) => n > 0)).toBe(true);
    expect(delivered[0] + delivered[1]).toBe(total);
  }, 120_000);

  it('lets a worker stopped with SIGTERM finish the delivery it is sending', async () => {
    const shared = { QUEUE_PREFIX: 'pwterm' + randomBytes(4).toString('hex') };
    const tracker = await start('tracker', shared);
    const worker = await start('worker', shared);
    const setup = await setUpCampaign(tracker, receiver.url);
    receiver.respondWith((r) => {
      okAnswers.add(r);
      return { status: 200, delayMs: 1500 };
    });
    const conversionId = await postback(tracker, await click(tracker, setup.campaignId));
    await receiver.waitFor(1);
    const stopping = Date.now();
    await worker.stop('SIGTERM');
    expect(Date.now() - stopping).toBeGreaterThan(1000);
    expect(worker.output).not.toMatch(/did not finish/);
    const delivery = await deliveryOf(tracker, conversionId, 'delivered', 2000);
    expect(delivery.attempts.map((a) => a.statusCode)).toEqual([200]);
    expect(receiver.requests).toHaveLength(1);
  });

  it('warns at boot when Redis may evict queued jobs', async () => {
    const redis = await privateRedis();
    const client = new Redis(redis.url);
    await client.config('SET', 'maxmemory-policy', 'allkeys-lru');
    client.disconnect();
    const worker = await start('worker', { REDIS_URL: redis.url });
    await waitUntil(() => /maxmemory-policy is "allkeys-lru"; set it to "noeviction"/.test(worker.output), 5000, 'the eviction warning');
  });
});

/** The worker's own count of delivered attempts, from its METRICS_PORT listener. */
async function deliveredCount(port: number): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith('postwire_delivery_attempts_total{outcome="delivered",status_class="2xx"} '));
  return line ? Number(line.split(' ')[1]) : 0;
}
