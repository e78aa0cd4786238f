import { Queue } from 'bullmq';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createDatabase, deleteRedisPrefix, newQueuePrefix, pgQuery, REDIS_URL } from '../lib/infra';
import { countStatus, runLoad } from '../lib/load';
import { setUpCampaigns, startPostwire, type Postwire } from '../lib/postwire';
import { pollUntil, ServerProcess } from '../lib/proc';
import { Receiver } from '../../test/support/receiver';
import type { ScenarioResult } from '../lib/result-types';
import { allAnswered, BASELINES, type BenchContext, check, load1, ratio } from './context';
import { QueueTimeline, spread } from './forwarding-timeline';
import { precreateClicks } from './postbacks';

/** Postwire's default FORWARD_CONCURRENCY (DEFAULT_FORWARD_CONCURRENCY in libs/config), given to the baseline worker too. */
const CONCURRENCY = 50;

/** DELIVERY_QUEUE_NAME in libs/runtime. */
const DELIVERY_QUEUE = 'deliveries';

/**
 * Forwarding, in two parts. Throughput: N conversions are recorded while no worker runs (their
 * jobs wait in Redis), then a worker starts and the rate at which the receiver is hit, first hit
 * to last, is compared with a raw BullMQ worker draining N jobs that each send the same request
 * through undici to the same receiver (`baselines/bullmq-http.ts`): no database, so the ratio is
 * Postwire's own cost per delivery (claim, attempt log, signing, metrics). Latency: with the worker
 * running, postbacks at a steady rate; end to end is the tracker's `received_at` to the receiver's
 * hit, both on this machine's clock, cut into parts by the queue's events (Redis's clock) and the
 * delivery rows' timestamps (PostgreSQL's), see {@link QueueTimeline}.
 */
export async function forwardingScenario(ctx: BenchContext): Promise<ScenarioResult> {
  const loadAverage = load1();
  const db = await createDatabase();
  const prefix = newQueuePrefix();
  const basePrefix = newQueuePrefix();
  const receiver = await Receiver.start({ keepRequests: false });
  const scratch = mkdtempSync(join(ctx.tmp, 'forwarding-'));
  const tag = randomBytes(3).toString('hex');
  const drainCount = ctx.quick ? 3000 : 10_000;
  const latencyRate = 200;
  const latencySec = ctx.quick ? 5 : 15;
  let tracker: Postwire | undefined;
  let worker: Postwire | undefined;
  try {
    // Baseline: the same number of jobs, the same job options, the same Redis, the same kind of
    // request (GET with the query Postwire renders, User-Agent and Idempotency-Key) to the receiver.
    const queue = new Queue('http', { connection: { host: new URL(REDIS_URL).hostname, port: Number(new URL(REDIS_URL).port || 6379) }, prefix: basePrefix });
    for (let i = 0; i < drainCount; i += 1000) {
      const jobs = Array.from({ length: Math.min(1000, drainCount - i) }, (_, k) => {
        const id = `b${tag}-${i + k}`;
        return {
          name: 'deliver',
          data: { deliveryId: id, url: `${receiver.url}/pb?ext=${id}&txid=${id}&payout=1.5` },
          opts: { jobId: id, removeOnComplete: true, removeOnFail: true },
        };
      });
      await queue.addBulk(jobs);
    }
    await queue.close();
    ctx.log('forwarding: baseline drain');
    receiver.reset();
    const base = await ServerProcess.start({
      name: 'bullmq http',
      script: join(BASELINES, 'bullmq-http.js'),
      env: { REDIS_URL, PREFIX: basePrefix, QUEUE: 'http', COUNT: String(drainCount), CONCURRENCY: String(CONCURRENCY) },
      ready: { line: 'RESULT' },
      timeoutMs: 150_000,
    });
    const baseRss = base.peakRssMb();
    const baseResult = JSON.parse(/RESULT (.*)/.exec(base.output)![1]) as { seen: number; failed: number; spanMs: number; cpuMs: number };
    const baseHits = receiver.count;
    await base.stop();
    const baseRate = baseResult.seen > 1 ? ((baseResult.seen - 1) / baseResult.spanMs) * 1000 : 0;
    ctx.log(`forwarding: baseline ${Math.round(baseRate)} requests/s`);

    tracker = await startPostwire({ entry: 'tracker', databaseUrl: db.url, queuePrefix: prefix });
    const campaign = (await setUpCampaigns(tracker.url, receiver.url, 1)).campaignIds[0];
    const ids = join(scratch, 'ids.txt');
    await precreateClicks(db.url, campaign, drainCount + latencyRate * latencySec * 2 + 1000, ids);

    ctx.log(`forwarding: recording ${drainCount} conversions with no worker running`);
    const trackerCpuBefore = tracker.proc.cpuSeconds();
    const backlog = await runLoad(
      {
        kind: 'postbacks',
        url: tracker.url,
        pathPrefix: '/postback',
        clickIds: { file: ids },
        offset: 0,
        txidPrefix: `d${tag}`,
        connections: ctx.connections,
        amount: drainCount,
      },
      120,
    );
    const trackerCpuAfter = tracker.proc.cpuSeconds();
    receiver.reset();
    worker = await startPostwire({ entry: 'worker', databaseUrl: db.url, queuePrefix: prefix, cpuProfDir: ctx.cpuProfDir });
    const workerCpuBefore = worker.proc.cpuSeconds();
    const drained = await pollUntil(async () => receiver.firstByTxid.size >= drainCount, 150_000, 50);
    const workerCpuAfter = worker.proc.cpuSeconds();
    const monos = [...receiver.firstByTxid.values()].map((h) => h.atMono).sort((a, b) => a - b);
    const drainRate = monos.length > 1 ? ((monos.length - 1) / (monos[monos.length - 1] - monos[0])) * 1000 : 0;
    const drainHits = receiver.count;
    const drainKeys = receiver.idempotencyKeys.size;
    const drainRepeated = receiver.repeatedKeys();
    ctx.log(`forwarding: Postwire drained at ${Math.round(drainRate)}/s`);

    ctx.log(`forwarding: end-to-end latency at ${latencyRate} postbacks/s`);
    receiver.reset();
    const timeline = await QueueTimeline.follow(DELIVERY_QUEUE, prefix, REDIS_URL);
    const steady = await runLoad(
      {
        kind: 'postbacks',
        url: tracker.url,
        pathPrefix: '/postback',
        clickIds: { file: ids },
        offset: backlog.nextOffset,
        txidPrefix: `l${tag}`,
        connections: 10,
        overallRate: latencyRate,
        amount: latencyRate * latencySec,
      },
      latencySec + 60,
    );
    const steadyOk = countStatus(steady, 200);
    await pollUntil(async () => receiver.firstByTxid.size >= steadyOk, 30_000, 50);
    const steadyRepeated = receiver.repeatedKeys();
    const received = await pgQuery<{ txid: string; ms: number }>(
      db.url,
      `SELECT canonical->>'txid' AS txid, (extract(epoch FROM received_at) * 1000)::float8 AS ms FROM postbacks WHERE canonical->>'txid' LIKE $1`,
      [`l${tag}-%`],
    );
    const latencies = received
      .map((r) => {
        const hit = receiver.firstByTxid.get(r.txid);
        return hit ? hit.at - r.ms : undefined;
      })
      .filter((l): l is number => l !== undefined);
    // The receiver is hit before the worker records the attempt; give the last few a moment.
    const deliveredCount = async () => (await pgQuery<{ n: number }>(db.url, `SELECT count(*)::int AS n FROM deliveries WHERE status = 'delivered'`))[0].n;
    await pollUntil(async () => (await deliveredCount()) >= drainCount + steadyOk, 10_000);
    const delivered = { n: await deliveredCount() };
    await pollUntil(async () => [...timeline.jobs.values()].filter((j) => j.completed !== undefined).length >= steadyOk, 5_000, 50);
    await timeline.close();
    const parts = await breakDown(db.url, received, receiver, timeline);
    const trackerRss = tracker.proc.peakRssMb();
    const workerRss = worker.proc.peakRssMb();
    await worker.proc.stop('SIGTERM');
    const e2e = spread(latencies);
    const cpuPerDelivery = (seconds: number | undefined) => (seconds !== undefined ? Math.round((seconds * 1e6) / drainCount) : undefined);
    return {
      id: 'forwarding',
      title: 'Forwarding: conversions delivered to a local receiver (PostgreSQL + Redis)',
      unit: 'deliveries/s',
      connections: CONCURRENCY,
      ours: {
        label: 'Postwire worker',
        rps: Math.round(drainRate),
        completed: drainHits,
        p50Ms: e2e.p50,
        p99Ms: e2e.p99,
        statusCounts: {},
        errors: 0,
        peakRssMb: Math.max(trackerRss ?? 0, workerRss ?? 0) || undefined,
        // The worker's CPU from its start to the last backlog delivery (its boot is a small part of it).
        cpuUsPerRequest: cpuPerDelivery(workerCpuBefore !== undefined && workerCpuAfter !== undefined ? workerCpuAfter - workerCpuBefore : undefined),
      },
      baseline: {
        label: 'raw BullMQ worker sending the same request with undici',
        rps: Math.round(baseRate),
        completed: baseResult.seen,
        p50Ms: 0,
        p99Ms: 0,
        statusCounts: {},
        errors: 0,
        peakRssMb: baseRss,
        cpuUsPerRequest: cpuPerDelivery(baseResult.cpuMs / 1000),
      },
      ratio: ratio(drainRate, baseRate),
      extra: {
        'end-to-end latency p50 / p99 (postback received → receiver hit)': `${e2e.text} at ${latencyRate}/s`,
        'of which the postback itself (request → 200, conversion and delivery committed) p50 / p99': `${steady.latencyMs.p50} / ${steady.latencyMs.p99} ms`,
        ...parts,
        'tracker CPU per backlog postback (conversion, delivery and its job), 50 connections':
          trackerCpuBefore !== undefined && trackerCpuAfter !== undefined ? `${Math.round(((trackerCpuAfter - trackerCpuBefore) * 1e6) / drainCount)} µs` : '?',
        'peak RSS tracker / worker': `${trackerRss ?? '?'} / ${workerRss ?? '?'} MB`,
      },
      checks: [
        allAnswered('backlog postbacks', backlog, 200),
        check('every backlog conversion delivered exactly once', drained && drainHits === drainCount, `${drainCount} queued, receiver hit ${drainHits} times`),
        check(
          "no delivery made twice (receiver's Idempotency-Key log, backlog and steady)",
          drainKeys === drainCount && drainRepeated.length === 0 && steadyRepeated.length === 0,
          `${drainKeys} distinct keys for ${drainCount} backlog deliveries; repeated: ${drainRepeated.length} backlog, ${steadyRepeated.length} steady${[...drainRepeated, ...steadyRepeated].length ? ' (' + [...drainRepeated, ...steadyRepeated].slice(0, 5).join(', ') + ')' : ''}`,
        ),
        allAnswered('steady postbacks', steady, 200),
        check(
          'every steady delivery seen in the queue events (added, active, completed)',
          [...timeline.jobs.values()].filter((j) => j.added !== undefined && j.active !== undefined && j.completed !== undefined).length >= steadyOk,
          `${timeline.jobs.size} jobs seen, ${[...timeline.jobs.values()].filter((j) => j.completed !== undefined).length} completed, ${steadyOk} expected`,
        ),
        check(
          'every steady conversion delivered, latency measured for each',
          latencies.length === steadyOk,
          `${steadyOk} answered 200, ${latencies.length} delivered with a latency`,
        ),
        check('deliveries marked delivered in PostgreSQL', delivered.n === drainCount + steadyOk, `${delivered.n} delivered of ${drainCount + steadyOk}`),
        check(
          'baseline sent all its requests, each answered 200',
          baseResult.seen === drainCount && baseResult.failed === 0 && baseHits === drainCount,
          `${baseResult.seen} of ${drainCount} sent, ${baseResult.failed} not 200, receiver hit ${baseHits} times`,
        ),
      ],
      loadAverage,
    };
  } finally {
    await worker?.proc.stop('SIGKILL');
    await tracker?.proc.stop('SIGKILL');
    for (const p of [worker, tracker]) if (p) rmSync(p.dataDir, { recursive: true, force: true });
    await receiver.close();
    await db.drop();
    await deleteRedisPrefix(prefix);
    await deleteRedisPrefix(basePrefix);
    rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * The steady part's end-to-end latency cut at every timestamp there is without instrumenting
 * Postwire: the tracker's `received_at`, the delivery row's `created_at` (the postback
 * transaction's start), BullMQ's added / active / completed events, the receiver's hit,
 * `delivered_at` (the attempt-log statement's start) and the attempt's own `latency_ms`. Each part
 * is a p50 / p99 over the steady deliveries; the parts' p50s need not add up to the total's.
 */
async function breakDown(
  dbUrl: string,
  received: Array<{ txid: string; ms: number }>,
  receiver: Receiver,
  timeline: QueueTimeline,
): Promise<Record<string, string>> {
  const hits = received.flatMap((r) => {
    const hit = receiver.firstByTxid.get(r.txid);
    const id = hit?.headers['idempotency-key'];
    return hit && typeof id === 'string' ? [{ id, receivedMs: r.ms, hitMs: hit.at }] : [];
  });
  const rows = await pgQuery<{ id: string; created: number; delivered: number | null; send: number | null }>(
    dbUrl,
    `SELECT d.id, (extract(epoch FROM d.created_at) * 1000)::float8 AS created, (extract(epoch FROM d.delivered_at) * 1000)::float8 AS delivered,
            (SELECT min(a.latency_ms) FROM delivery_attempts a WHERE a.delivery_id = d.id) AS send
     FROM deliveries d WHERE d.id = ANY($1::uuid[])`,
    [hits.map((h) => h.id)],
  );
  const byId = new Map(rows.map((r) => [r.id, r]));
  const parts: Record<string, number[]> = {
    'postback: received → its transaction began': [],
    'received → job added in Redis (postback → 200, then enqueue)': [],
    "received → the job built by the tracker's addBulk (postback, up to its commit)": [],
    "job built → added in Redis (enqueue: the addBulk's round trip)": [],
    'job added → picked by the worker (BullMQ wake-up)': [],
    'picked → receiver hit (claim, then request sent)': [],
    'send: the HTTP exchange as the worker timed it': [],
    'receiver hit → attempt-log statement began (answer read, waiting for the batch)': [],
    'attempt-log statement began → job completed (statement, commit, BullMQ completion)': [],
    "worker's share: job added → receiver hit": [],
  };
  const [txStart, toAdded, toBuilt, enqueue, wake, toHit, send, toLog, toCompleted, workerShare] = Object.values(parts);
  for (const h of hits) {
    const row = byId.get(h.id);
    const job = timeline.jobs.get(h.id);
    if (row) txStart.push(row.created - h.receivedMs);
    if (row?.send != null) send.push(row.send);
    if (row?.delivered != null) toLog.push(row.delivered - h.hitMs);
    if (!job) continue;
    if (job.built !== undefined) toBuilt.push(job.built - h.receivedMs);
    if (job.added !== undefined) {
      toAdded.push(job.added - h.receivedMs);
      if (job.built !== undefined) enqueue.push(job.added - job.built);
      workerShare.push(h.hitMs - job.added);
      if (job.active !== undefined) wake.push(job.active - job.added);
    }
    if (job.active !== undefined) toHit.push(h.hitMs - job.active);
    if (job.completed !== undefined && row?.delivered != null) toCompleted.push(job.completed - row.delivered);
  }
  return Object.fromEntries(
    Object.entries(parts).map(([name, values]) => [`end-to-end part, ${name}, p50 / p99`, `${spread(values).text} (${values.length} deliveries)`]),
  );
}
