import { randomBytes } from 'node:crypto';
import { Cluster } from 'ioredis';
import { createPostgresDatabase } from '../libs/persistence/src/test-support/databases';
import { RedisReplayStore } from '../libs/security/src/replay-guard';
import { PostwireProcess } from './support/postwire-process';
import { Receiver } from './support/receiver';
import { RedisCluster } from './support/redis-cluster';
import { click, getJson, setUpCampaign, type Setup } from './support/scenario';
import { waitUntil } from './support/wait-until';
import { listItems } from './support/paged';

const CONVERSIONS = 60;

/**
 * Tracker and worker on a real Redis Cluster (3 masters, 3 replicas, on loopback): conversions are
 * forwarded exactly once while the master holding the queue's slot is killed and its replica takes
 * over, and the request guards keep their counters in the cluster.
 */
describe('Redis Cluster', () => {
  let cluster: RedisCluster;
  let db: { url: string; drop: () => Promise<void> };
  let receiver: Receiver;
  let tracker: PostwireProcess;
  let worker: PostwireProcess;
  let redis: Cluster;
  let setup: Setup;
  let evictingPort: number;
  const prefix = 'pwcluster' + randomBytes(4).toString('hex');
  /** Every BullMQ key of the deliveries queue hashes to this tag's slot. */
  const queueKey = (id: string) => `{${prefix}}:deliveries:${id}`;

  beforeAll(async () => {
    [cluster, db, receiver] = await Promise.all([RedisCluster.start(), createPostgresDatabase(), Receiver.start()]);
    // Slow enough that deliveries are still queued and in flight when the master goes.
    receiver.respondWith(() => ({ status: 200, body: 'ok', delayMs: 60 }));
    redis = new Cluster(cluster.seeds.split(',').map((s) => ({ host: '127.0.0.1', port: Number(s.split(':')[1]) })));
    // One node evicting keys: the worker's boot check must name it (every node is checked, not one).
    evictingPort = cluster.livePorts[5];
    await cluster.onNode(evictingPort, (node) => node.config('SET', 'maxmemory-policy', 'allkeys-lru'));
    const env = {
      DATABASE_URL: db.url,
      REDIS_CLUSTER_NODES: cluster.seeds,
      QUEUE_PREFIX: prefix,
      FORWARD_CONCURRENCY: '4',
      // Loopback is exempt from the rate limits by default; count it, so the limits' keys are written.
      RATE_LIMIT_EXEMPT_CIDRS: '192.0.2.1/32',
    };
    // At once: the database is a copy of the migrated template, so neither has migrations to run.
    [tracker, worker] = await Promise.all([PostwireProcess.start({ entry: 'tracker', env }), PostwireProcess.start({ entry: 'worker', env })]);
    setup = await setUpCampaign(tracker, receiver.url);
  });

  afterAll(async () => {
    redis?.disconnect();
    await Promise.all([tracker?.dispose(), worker?.dispose()]);
    await cluster?.stop();
    await receiver?.close();
    await db?.drop();
  });

  it('warns at boot about each node that may evict keys', async () => {
    await waitUntil(() => worker.output.includes(`on cluster node 127.0.0.1:${evictingPort}`), 5000, 'the eviction warning');
    expect(worker.output).toMatch(/maxmemory-policy is "allkeys-lru" on cluster node/);
  });

  it('forwards each conversion exactly once through a failover of the master holding the queue', async () => {
    const clickIds = await Promise.all(Array.from({ length: CONVERSIONS }, (_, i) => click(tracker, setup.campaignId, `external_id=ext-${i}`)));
    const postback = async (i: number) => {
      const res = await getJson<{ status: string }>(`${tracker.url}/postback?click_id=${clickIds[i]}&payout=1.5&txid=tx-${i}`);
      expect(res).toMatchObject({ status: 200, body: { status: 'accepted' } });
    };

    const half = CONVERSIONS / 2;
    await Promise.all(Array.from({ length: half }, (_, i) => postback(i)));
    await waitUntil(() => receiver.count >= 3, 10_000, 'the first deliveries');
    const master = await cluster.masterOf(queueKey('id'));
    await cluster.kill(master);
    // Killed mid-forwarding: most of the first half was still queued or in flight (60 ms each, 4 at a time).
    expect(receiver.count).toBeLessThan(half);
    // Postbacks keep coming while the cluster has no master for the queue's slot.
    const during = Promise.all(Array.from({ length: 10 }, (_, i) => postback(half + i)));
    await cluster.waitUntilHealthy();
    expect(await cluster.masterOf(queueKey('id'))).not.toBe(master);
    await during;
    await Promise.all(Array.from({ length: CONVERSIONS - half - 10 }, (_, i) => postback(half + 10 + i)));

    type Delivery = { id: string; status: string };
    let deliveries: Delivery[] = [];
    await waitUntil(
      async () => {
        deliveries = await listItems<Delivery>(tracker, `/api/deliveries?trafficSourceId=${setup.trafficSourceId}`);
        if (deliveries.length !== CONVERSIONS || deliveries.some((d) => d.status !== 'delivered')) return false;
        // Settled in PostgreSQL, and no job left in the queue that could send one again.
        return (await redis.exists(...deliveries.map((d) => queueKey(d.id)))) === 0;
      },
      20_000,
      `${CONVERSIONS} deliveries delivered`,
    );

    const perTxid = new Map<string, number>();
    for (const req of receiver.requests) perTxid.set(req.query.get('txid')!, (perTxid.get(req.query.get('txid')!) ?? 0) + 1);
    expect(perTxid.size).toBe(CONVERSIONS);
    expect([...perTxid.values()].every((n) => n === 1)).toBe(true);
    expect([...receiver.idempotencyKeys.values()].every((n) => n === 1)).toBe(true);
    expect(receiver.count).toBe(CONVERSIONS);
  });

  it('keeps the rate-limit counters in the cluster', async () => {
    // rate-limiter-flexible's keys, `<keyPrefix>:<key>`, each in a one-minute window (so only "counted" is certain here).
    expect(Number(await redis.get(`${prefix}:rl:ip:127.0.0.1`))).toBeGreaterThan(0);
    expect(Number(await redis.get(`${prefix}:rl:net:${setup.networkId}`))).toBeGreaterThan(0);
  });

  it('counts sign-in attempts in the cluster', async () => {
    const user = { email: 'ops@cluster.test', password: 'correct horse battery staple' };
    expect((await tracker.api('POST', '/api/users', { ...user, role: 'admin' })).status).toBe(201);
    const wrong = await fetch(`${tracker.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: user.email, password: 'not the password at all' }),
    });
    expect(wrong.status).toBe(401);
    // One count per address and one per account, on whichever masters their slots hash to.
    const keys = (await Promise.all(redis.nodes('master').map((node) => node.keys(`${prefix}:signin:*`)))).flat();
    expect(keys).toEqual(
      expect.arrayContaining([`${prefix}:signin:ip:127.0.0.1`, expect.stringMatching(new RegExp(`^${prefix}:signin:account:[0-9a-f]{64}$`))]),
    );
  });

  it('remembers signed requests in the cluster (replay guard)', async () => {
    const replays = new RedisReplayStore(redis, `${prefix}:replay:`);
    const signatures = Array.from({ length: 20 }, (_, i) => `signature-${i}`);
    // Twenty keys spread over the cluster's slots: each is remembered once, then refused as a replay.
    expect(await Promise.all(signatures.map((s) => replays.remember(s, 30)))).toEqual(signatures.map(() => true));
    expect(await Promise.all(signatures.map((s) => replays.remember(s, 30)))).toEqual(signatures.map(() => false));
  });
});
