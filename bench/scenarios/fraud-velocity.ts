import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { Redis } from 'ioredis';
import { RedisVelocityCounter } from '../../libs/runtime/src/velocity/redis-velocity-counter';
import { createDatabase, deleteRedisPrefix, newQueuePrefix } from '../lib/infra';
import { runLoad } from '../lib/load';
import { adminApi, clickPath, setUpCampaigns, startPostwire, type Postwire } from '../lib/postwire';
import type { ScenarioResult } from '../lib/result-types';
import { allAnswered, alternate, type BenchContext, load1, measurement, median, ratio, spread, timed } from './context';

const UA = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1';
const FLOOD_IPS = 1_000_000;
const FLOOD_BATCH = 1000;
const FLOOD_CONVERSIONS = 100_000;

/**
 * What the velocity signals cost (issue 24): (a) clicks scored with velocity counting against clicks
 * scored without it (the campaign's policy turns every velocity threshold off, so nothing is counted),
 * two trackers on one PostgreSQL and the shared Redis, alternating; every click comes from an address
 * of its own (X-Forwarded-For from a trusted loopback proxy), the costly case: two new counter fields
 * per click. Target ≥ 0.9×. (b) Redis memory under a flood of 1,000,000 distinct IPs, driving the
 * counter in-process against a private redis-server (so nothing else moves its `used_memory`): after
 * the flood, and after the keys expired.
 */
export async function fraudVelocityScenario(ctx: BenchContext): Promise<ScenarioResult> {
  const loadAverage = load1();
  const connections = ctx.connections;
  const limit = ctx.warmupSec + ctx.measureSec * 3 + 60;
  const db = await createDatabase();
  const prefix = newQueuePrefix();
  let a: Postwire | undefined;
  let b: Postwire | undefined;
  try {
    const env = { FRAUD_SCORING: 'on', TRUST_PROXY: '127.0.0.1/32', RATE_LIMIT_EXEMPT_CIDRS: '0.0.0.0/0' };
    a = await startPostwire({ entry: 'tracker', databaseUrl: db.url, queuePrefix: prefix, env });
    b = await startPostwire({ entry: 'tracker', databaseUrl: db.url, queuePrefix: prefix, env });
    const [onCampaign, offCampaign] = (await setUpCampaigns(a.url, 'http://127.0.0.1:9', 2)).campaignIds;
    const off = { velocity: { ipClicksPerMinute: null, ipUaClicksPerMinute: null, subClicksPerMinute: null } };
    await adminApi(a.url, 'PUT', `/api/fraud/campaigns/${offCampaign}/policy`, off);
    const headers = { 'user-agent': UA };
    const load = (p: Postwire, campaign: string, more: { amount?: number; durationSec?: number }) =>
      runLoad({ kind: 'static', url: p.url, path: clickPath(campaign), connections, headers, distinctForwardedFor: true, ...more }, limit);
    ctx.log('fraud velocity: warm-up');
    const warmOff = await load(b, offCampaign, { durationSec: ctx.warmupSec });
    await load(a, onCampaign, { durationSec: ctx.warmupSec });
    const amount = Math.max(1000, Math.round(warmOff.rps * ctx.measureSec));
    const runs = await alternate(
      ctx.rounds,
      () => timed(b!.proc, () => load(b!, offCampaign, { amount })),
      () => timed(a!.proc, () => load(a!, onCampaign, { amount })),
    );
    const ours = measurement('scoring with velocity', median(runs.ours), a.proc.peakRssMb());
    const baseline = measurement('scoring, velocity off', median(runs.baseline), b.proc.peakRssMb());
    ctx.log(`fraud velocity: off ${spread(runs.baseline)}/s, on ${spread(runs.ours)}/s`);
    ctx.log('fraud velocity: Redis memory under a flood of distinct IPs');
    const memory = await floodMemory(ctx);
    return {
      id: 'click-fraud-velocity',
      title: 'Clicks scored with velocity counting (Redis) vs scored without it, one address per click (PostgreSQL)',
      unit: 'clicks/s',
      connections,
      ours,
      baseline,
      ratio: ratio(ours.rps, baseline.rps),
      extra: { 'all measured runs, off / on (per s)': `${spread(runs.baseline)} / ${spread(runs.ours)}`, ...memory },
      checks: [
        ...runs.ours.map((r, i) => allAnswered(`measured run ${i + 1} (velocity on)`, r, 302)),
        ...runs.baseline.map((r, i) => allAnswered(`measured run ${i + 1} (velocity off)`, r, 302)),
      ],
      loadAverage,
    };
  } finally {
    await a?.proc.stop('SIGKILL');
    await b?.proc.stop('SIGKILL');
    for (const p of [a, b]) if (p) rmSync(p.dataDir, { recursive: true, force: true });
    await db.drop();
    await deleteRedisPrefix(prefix);
  }
}

/** `used_memory` of a private redis-server: before, after 1 M distinct IPs' clicks, after their keys expired, after 100 k conversions. */
export async function floodMemory(ctx: BenchContext): Promise<Record<string, string>> {
  const port = await freePort();
  const server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  const redis = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    // The server takes a moment to listen: ask it until it answers, then connect once.
    for (let i = 0; !(await canConnect(port)); i++) {
      if (i > 100) throw new Error(`redis-server on ${port} did not start`);
      await new Promise((r) => setTimeout(r, 100));
    }
    await redis.connect();
    const counter = new RedisVelocityCounter(redis, 'postwire:vel:', undefined, 10_000);
    const used = async () => Number(/used_memory:(\d+)/.exec(await redis.info('memory'))![1]);
    const mb = (bytes: number) => `${(bytes / 1048576).toFixed(1)} MB`;
    const before = await used();
    const started = performance.now();
    const count = { ip: true, ipUserAgent: true, subParams: [] as [] };
    for (let start = 0; start < FLOOD_IPS; start += FLOOD_BATCH) {
      const clicks = Array.from({ length: FLOOD_BATCH }, (_, j) => {
        const i = start + j + 1;
        return { id: String(i), campaignId: 'c', ip: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`, userAgent: UA, subs: {}, count };
      });
      if (!(await counter.countClicks(clicks, new Date()))) throw new Error('the counter gave no counts during the flood');
    }
    const floodSec = (performance.now() - started) / 1000;
    const afterClicks = await used();
    const keys = await redis.dbsize();
    ctx.log(`fraud velocity: ${FLOOD_IPS} IPs in ${floodSec.toFixed(0)} s, used_memory +${mb(afterClicks - before)}, ${keys} keys`);
    // Click keys live two minutes and ten seconds; Redis's active expiry then removes them within seconds.
    const expiryStarted = Date.now();
    while (Date.now() - expiryStarted < 240_000) {
      await new Promise((r) => setTimeout(r, 5000));
      if ((await redis.dbsize()) === 0) break;
    }
    const afterExpiry = await used();
    const expirySec = Math.round((Date.now() - expiryStarted) / 1000);
    const keysLeft = await redis.dbsize();
    for (let start = 0; start < FLOOD_CONVERSIONS; start += FLOOD_BATCH) {
      const conversions = Array.from({ length: FLOOD_BATCH }, (_, j) => {
        const i = start + j + 1;
        const ip = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
        return { id: `cv${i}`, identity: `k${i}|`, clickId: `k${i}`, ip, userAgent: UA };
      });
      await counter.countConversions(conversions, new Date());
    }
    const afterConversions = await used();
    return {
      'Redis used_memory before the flood': mb(before),
      [`after ${FLOOD_IPS.toLocaleString('en')} distinct IPs' clicks (IP and IP+UA counted; ${keys} keys)`]: `+${mb(afterClicks - before)} (${Math.round((afterClicks - before) / FLOOD_IPS)} bytes per IP), in ${floodSec.toFixed(0)} s (${Math.round(FLOOD_IPS / floodSec)} clicks/s through the counter)`,
      [`after the click keys expired (${expirySec} s after the flood; ${keysLeft} keys left)`]: `+${mb(afterExpiry - before)} over the start`,
      [`then ${FLOOD_CONVERSIONS.toLocaleString('en')} conversions from distinct IPs (three sorted sets each, kept 1 h / 24 h)`]: `+${mb(afterConversions - afterExpiry)} (${Math.round((afterConversions - afterExpiry) / FLOOD_CONVERSIONS)} bytes per conversion)`,
    };
  } finally {
    redis.disconnect();
    server.kill('SIGKILL');
  }
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.end();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}
