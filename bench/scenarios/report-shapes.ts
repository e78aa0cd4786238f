import { rmSync } from 'node:fs';
import { deleteRedisPrefix, keptDatabase, newQueuePrefix, pgQuery, BENCH_APP } from '../lib/infra';
import { runLoad } from '../lib/load';
import { ADMIN_KEY, BUILD, clickPath, setUpCampaigns, startPostwire, type Postwire } from '../lib/postwire';
import type { Check } from '../lib/result-types';
import { type BenchContext, check, load1 } from './context';
import { Client } from 'pg';
import { rebuildReportRollups } from '../../libs/persistence/src/repositories/report-rollups';
import type { SqlClient, SqlExecutor } from '../../libs/persistence/src/client/sql-client';
import { rollupMismatches } from './growth-data';
import { addReportHistory, REPORT_CAMPAIGNS, REPORT_DAYS, type Sub1Distribution } from './report-data';

/** One report request shape of issue 22's table, and its target where the issue sets one. */
export interface ReportShape {
  name: string;
  groupBy: string;
  days: number;
  tz: string;
  /** p95 target in ms, absolute; or `twiceOf`: less than 2× the named UTC shape's p95. */
  targetMs?: number;
  twiceOf?: string;
}

export const REPORT_SHAPES: ReportShape[] = [
  { name: 'sub1,sub2,campaign 60 d', groupBy: 'sub1,sub2,campaign', days: 60, tz: 'UTC' },
  { name: 'hour,sub1 60 d', groupBy: 'hour,sub1', days: 60, tz: 'UTC' },
  { name: 'hour,country,os 400 d +05:45', groupBy: 'hour,country,os', days: 400, tz: 'Asia/Kathmandu' },
  { name: 'sub1 90 d', groupBy: 'sub1', days: 90, tz: 'UTC', targetMs: 2000 },
  { name: 'sub1,sub2 90 d', groupBy: 'sub1,sub2', days: 90, tz: 'UTC', targetMs: 5000 },
  { name: 'sub1 90 d +05:45', groupBy: 'sub1', days: 90, tz: 'Asia/Kathmandu', twiceOf: 'sub1 90 d' },
  { name: 'sub1,sub2 90 d +05:45', groupBy: 'sub1,sub2', days: 90, tz: 'Asia/Kathmandu', twiceOf: 'sub1,sub2 90 d' },
];

export interface ShapeTiming {
  shape: string;
  clicks: number;
  build: string;
  /** Answered requests (any status) and how many were 200. */
  requests: number;
  ok: number;
  statuses: Record<string, number>;
  p50Ms?: number;
  p95Ms?: number;
  /** Rows in the answer, and its total row count when the API gives one. */
  rows?: number;
  /** Peak RSS (VmHWM) of a tracker that answered only this shape. */
  peakRssMb?: number;
  /** Why measuring stopped early: a request past the bench's own time limit, or the tracker died. */
  stopped?: string;
  loadAverage: number;
  at: string;
}

export interface ReportShapesOptions {
  database: string;
  /** Clicks stored before each measurement, ascending; with `reuse`, sizes the database already has are skipped. */
  steps: number[];
  reuse: boolean;
  dist: Sub1Distribution;
  /** Shapes to measure (names), all by default. */
  only?: string[];
  /** Measured requests per shape (after one unmeasured). */
  requests: number;
  /** The bench gives up on a request after this long, and cancels what it left running in PostgreSQL. */
  requestTimeoutMs: number;
  /** A shape whose requests took this long in total gets no more requests. */
  shapeBudgetMs: number;
  /** Also measure click latency with and without report loops beside it. */
  reportLoad: boolean;
}

/**
 * Issue 22 §2: every report shape of the issue's table over a kept database of 50 campaigns × 90 days
 * with sub1 at 100,000 values (report-data.ts), grown step by step (10 → 30 → 50 million), each shape
 * asked over HTTP one request at a time of a fresh tracker, so that its peak RSS is that shape's.
 */
export async function reportShapesScenario(
  ctx: BenchContext,
  options: ReportShapesOptions,
  onStep: (t: ShapeTiming[], c: Check[], under?: ClicksUnderReports) => void,
): Promise<void> {
  const db = await keptDatabase(options.database, !options.reuse);
  let campaigns: string[];
  let networkId: string;
  if (!options.reuse) {
    const first = await startPostwire({ entry: 'tracker', databaseUrl: db.url, queuePrefix: newQueuePrefix() });
    try {
      const made = await setUpCampaigns(first.url, 'http://127.0.0.1:9', REPORT_CAMPAIGNS);
      campaigns = made.campaignIds;
      networkId = made.networkId;
      await pgQuery(db.url, `UPDATE campaigns SET cost_model = 'cpc', cost_value = 0.01`);
    } finally {
      await first.proc.stop('SIGTERM');
      rmSync(first.dataDir, { recursive: true, force: true });
    }
  } else {
    // A build with newer migrations backfills them here, over the whole history: it may take minutes.
    const migrating = await startPostwire({ entry: 'tracker', databaseUrl: db.url, queuePrefix: newQueuePrefix(), readyTimeoutMs: 60 * 60_000 });
    // Rollups a migration creates empty (027's sub-id value rollups) are filled by the tracker in the
    // background while it serves: measured shapes wait for the fill, so they read what a settled install reads.
    await waitForRollupFill(ctx, migrating);
    await migrating.proc.stop('SIGTERM');
    rmSync(migrating.dataDir, { recursive: true, force: true });
    // A backfilled table has no statistics until autovacuum gets to it; without them the planner guessed
    // 12,749 rows of sub_click_rollups for 5.8 million and sorted them on disk.
    await pgQuery(db.url, 'ANALYZE');
    campaigns = (await pgQuery<{ id: string }>(db.url, 'SELECT id FROM campaigns ORDER BY created_at, id')).map((r) => r.id);
    networkId = (await pgQuery<{ id: string }>(db.url, 'SELECT id FROM networks LIMIT 1'))[0].id;
  }
  if (campaigns.length !== REPORT_CAMPAIGNS) throw new Error(`database ${options.database} has ${campaigns.length} campaigns, expected ${REPORT_CAMPAIGNS}`);

  const stored = async () => (await pgQuery<{ n: number }>(db.url, 'SELECT count(*)::int AS n FROM clicks'))[0].n;
  const already = await stored();
  const targets = options.steps.filter((t) => t > already);
  if (!targets.length) targets.push(already);
  for (const target of targets) {
    const checks: Check[] = [];
    const have = await stored();
    if (target > have) {
      ctx.log(`report-shapes: adding ${(target - have).toLocaleString('en-US')} clicks (${options.dist} sub1)`);
      const began = Date.now();
      await addReportHistory(db.url, campaigns, networkId, have, target - have, options.dist, (done) =>
        ctx.log(`report-shapes: ${done.toLocaleString('en-US')} added, ${Math.round((Date.now() - began) / 1000)} s`),
      );
      ctx.log('report-shapes: rollups, VACUUM ANALYZE');
      await rebuildAll(db.url);
      await pgQuery(db.url, 'VACUUM ANALYZE');
      ctx.log(`report-shapes: ${target.toLocaleString('en-US')} clicks ready in ${Math.round((Date.now() - began) / 1000)} s`);
    }
    const mismatches = await rollupMismatches(db.url, []);
    checks.push(check('rollups agree with the stored rows, per campaign', mismatches.clicks === 0 && mismatches.conversions === 0, JSON.stringify(mismatches)));
    const [{ kept }] = await pgQuery<{ kept: boolean }>(db.url, `SELECT to_regclass('sub_click_rollups') IS NOT NULL AS kept`);
    if (kept) {
      const [subs] = await pgQuery<{ rolled: number; raw: number }>(
        db.url,
        `SELECT (SELECT coalesce(sum(clicks), 0)::float8 FROM sub_click_rollups WHERE sub = 1) AS rolled, (SELECT count(*)::float8 FROM clicks) AS raw`,
      );
      checks.push(check('sub-id rollups (sub1) count every stored click', subs.rolled === subs.raw, `${subs.rolled} of ${subs.raw}`));
    }
    const [shape] = await pgQuery<{ sub1: number; days: number }>(
      db.url,
      `SELECT count(DISTINCT sub1)::int AS sub1, (extract(epoch FROM max(created_at) - min(created_at)) / 86400)::float8 AS days FROM clicks`,
    );
    // With 10 million clicks or more, nearly every one of the 100,000 zones is drawn; fewer clicks reach fewer.
    const zones = Math.min(90_000, Math.floor((await stored()) / 20));
    checks.push(
      check(
        `history spans ${REPORT_DAYS} days with sub1 at ≥ ${zones.toLocaleString('en-US')} values`,
        shape.days > REPORT_DAYS - 1 && shape.sub1 >= zones,
        JSON.stringify(shape),
      ),
    );
    const clicks = await stored();
    const timings: ShapeTiming[] = [];
    for (const s of REPORT_SHAPES.filter((x) => !options.only || options.only.includes(x.name))) {
      timings.push(await measureShape(ctx, db.url, s, clicks, options));
      onStep(timings, checks);
    }
    if (options.reportLoad) {
      const under = await clicksUnderReports(ctx, db.url, campaigns[0], clicks);
      checks.push(...under.checks);
      onStep(timings, checks, under);
    } else onStep(timings, checks);
  }
}

/** Polls /health until the background fills of the sub-id value and pair rollups have nothing pending (builds without them: at once). */
async function waitForRollupFill(ctx: BenchContext, pw: Postwire): Promise<void> {
  const began = Date.now();
  let last = '';
  type Fill = { pending: number; done: number; running: boolean };
  for (;;) {
    const health = (await (await fetch(`${pw.url}/health`)).json()) as { reportRollups?: { subValues?: Fill; subPairs?: Fill } };
    const fills = Object.entries(health.reportRollups ?? {}).filter(([, f]) => f && (f.pending > 0 || f.running));
    if (!fills.length) break;
    const line = `report-shapes: ${fills.map(([name, f]) => `${name}: ${f.done} day(s)/week(s) written, ${f.pending} pending`).join('; ')}`;
    if (line !== last) ctx.log((last = line));
    await new Promise((r) => setTimeout(r, 2000));
  }
  ctx.log(`report-shapes: rollup fill settled after ${Math.round((Date.now() - began) / 1000)} s`);
}

export interface ClicksUnderReports {
  clicks: number;
  build: string;
  /** Click load alone, and with report loops running beside it: each round's figures. */
  alone: { rps: number; p50: number; p99: number }[];
  withReports: { rps: number; p50: number; p99: number }[];
  reportsAnswered: Record<string, number>;
  reportLoops: number;
  reportShape: string;
  loadAverage: number;
}

const REPORT_LOOPS = 2;
const UNDER_LOAD_SHAPE = 'sub1 90 d';

/**
 * Issue 22 §6: click latency with and without report loops beside it, on the big database. The same
 * tracker answers both; the click load (autocannon, 20 connections, 10 s) runs alone, then with
 * REPORT_LOOPS loops each asking the `sub1 90 d` report again as soon as it is answered, alternating,
 * twice. Target: click p99 with reports within 1.5× of without.
 */
async function clicksUnderReports(ctx: BenchContext, dbUrl: string, campaign: string, clicks: number): Promise<ClicksUnderReports & { checks: Check[] }> {
  const prefix = newQueuePrefix();
  const loadAverage = load1();
  const pw = await startPostwire({ entry: 'tracker', databaseUrl: dbUrl, queuePrefix: prefix });
  const shape = REPORT_SHAPES.find((x) => x.name === UNDER_LOAD_SHAPE)!;
  const to = Date.now() + 86_400_000;
  const path = `/api/reports/stats?from=${day(to - shape.days * 86_400_000)}&to=${day(to)}&groupBy=${shape.groupBy}`;
  const reportsAnswered: Record<string, number> = {};
  const alone: ClicksUnderReports['alone'] = [];
  const withReports: ClicksUnderReports['withReports'] = [];
  const click = async () => {
    const r = await runLoad({ kind: 'static', url: pw.url, path: clickPath(campaign), connections: 20, durationSec: 10 }, 120);
    return { rps: Math.round(r.rps), p50: r.latencyMs.p50, p99: r.latencyMs.p99 };
  };
  try {
    await runLoad({ kind: 'static', url: pw.url, path: clickPath(campaign), connections: 20, durationSec: 3 }, 60);
    for (let round = 0; round < 2; round++) {
      alone.push(await click());
      const stop = new AbortController();
      const loops = Array.from({ length: REPORT_LOOPS }, async () => {
        while (!stop.signal.aborted) {
          try {
            const res = await fetch(`${pw.url}${path}`, { headers: { authorization: `Bearer ${ADMIN_KEY}` }, signal: stop.signal });
            await res.arrayBuffer();
            reportsAnswered[res.status] = (reportsAnswered[res.status] ?? 0) + 1;
          } catch {
            if (!stop.signal.aborted) reportsAnswered.error = (reportsAnswered.error ?? 0) + 1;
          }
        }
      });
      // Let the reports start before the clicks are timed.
      await new Promise((r) => setTimeout(r, 1000));
      withReports.push(await click());
      stop.abort();
      await Promise.all(loops);
      await pgQuery(
        dbUrl,
        `SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND application_name <> $1 AND state = 'active'`,
        [BENCH_APP],
      );
    }
  } finally {
    await pw.proc.stop('SIGKILL');
    rmSync(pw.dataDir, { recursive: true, force: true });
    await deleteRedisPrefix(prefix);
  }
  const worst = (xs: { p99: number }[]) => Math.max(...xs.map((x) => x.p99));
  const factor = worst(withReports) / Math.max(1, worst(alone));
  ctx.log(
    `report-shapes: clicks alone ${JSON.stringify(alone)}, with ${REPORT_LOOPS} report loops ${JSON.stringify(withReports)}, reports ${JSON.stringify(reportsAnswered)}`,
  );
  return {
    clicks,
    build: BUILD,
    alone,
    withReports,
    reportsAnswered,
    reportLoops: REPORT_LOOPS,
    reportShape: UNDER_LOAD_SHAPE,
    loadAverage,
    checks: [
      check(
        `${BUILD} at ${clicks.toLocaleString('en-US')}: click p99 with report loops within 1.5× of without (worst round each)`,
        factor <= 1.5,
        `${factor.toFixed(2)}×`,
      ),
    ],
  };
}

/**
 * Every report rollup rebuilt from the stored rows by the reports' own rebuild (the one migrations
 * backfill with), over the whole generated period, so the rollups agree with the rows whatever the
 * schema keeps.
 */
async function rebuildAll(dbUrl: string): Promise<void> {
  const c = new Client({ connectionString: dbUrl, application_name: BENCH_APP });
  await c.connect();
  const exec: SqlExecutor = { query: async (text, params) => c.query(text, params as unknown[]) as never };
  const client = {
    ...exec,
    driver: 'postgres',
    transaction: async (work: (tx: SqlExecutor) => Promise<unknown>) => {
      await c.query('BEGIN');
      try {
        const out = await work(exec);
        await c.query('COMMIT');
        return out;
      } catch (error) {
        await c.query('ROLLBACK');
        throw error;
      }
    },
  } as unknown as SqlClient;
  try {
    await rebuildReportRollups(client, { from: new Date(Date.now() - (REPORT_DAYS + 1) * 86_400_000), to: new Date(Date.now() + 86_400_000) });
  } finally {
    await c.end();
  }
}

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

async function measureShape(ctx: BenchContext, dbUrl: string, s: ReportShape, clicks: number, options: ReportShapesOptions): Promise<ShapeTiming> {
  const prefix = newQueuePrefix();
  const loadAverage = load1();
  // Whole local days, ending tomorrow (the data ends now), so `from`/`to` fall on a quarter hour in any zone.
  const to = Date.now() + 86_400_000;
  const path = `/api/reports/stats?from=${day(to - s.days * 86_400_000)}&to=${day(to)}&groupBy=${s.groupBy}&tz=${encodeURIComponent(s.tz)}`;
  let pw: Postwire | undefined;
  const times: number[] = [];
  const statuses: Record<string, number> = {};
  let rows: number | undefined;
  let stopped: string | undefined;
  // VmHWM, sampled while the requests run: a tracker that dies of its heap takes its figure with it.
  let peakRssMb: number | undefined;
  const sampler = setInterval(() => (peakRssMb = pw?.proc.peakRssMb() ?? peakRssMb), 250);
  try {
    // A ceiling on the heap, so that a shape that would eat the machine (as unbounded reports did) ends
    // in the tracker's own "heap out of memory" instead of in other processes' memory.
    pw = await startPostwire({ entry: 'tracker', databaseUrl: dbUrl, queuePrefix: prefix, env: { NODE_OPTIONS: '--max-old-space-size=2048' } });
    let spent = 0;
    for (let i = 0; i <= options.requests && spent < options.shapeBudgetMs; i++) {
      const began = process.hrtime.bigint();
      let status: string;
      try {
        const res = await fetch(`${pw.url}${path}`, {
          headers: { authorization: `Bearer ${ADMIN_KEY}` },
          signal: AbortSignal.timeout(options.requestTimeoutMs),
        });
        const text = await res.text();
        status = String(res.status);
        if (res.status === 200) rows = (JSON.parse(text) as { rows: unknown[] }).rows.length;
      } catch (error) {
        status = (error as Error).name === 'TimeoutError' ? 'timeout' : 'no answer';
        stopped =
          status === 'timeout'
            ? `a request took more than ${options.requestTimeoutMs / 1000} s`
            : pw.proc.exited
              ? `the tracker died (${pw.proc.output.trim().split('\n').slice(-2).join(' ').slice(0, 200)})`
              : `${(error as Error).message} (${String((error as Error & { cause?: { message?: string } }).cause?.message ?? 'no cause')})`;
      }
      const ms = Number(process.hrtime.bigint() - began) / 1e6;
      spent += ms;
      // The first request warms the plan cache and the buffers; it is only counted when it is the only one
      // (it failed, or it alone used up the budget).
      if (i > 0 || stopped || spent >= options.shapeBudgetMs) {
        times.push(ms);
        statuses[status] = (statuses[status] ?? 0) + 1;
      }
      if (stopped) break;
    }
  } finally {
    clearInterval(sampler);
    peakRssMb = pw?.proc.peakRssMb() ?? peakRssMb;
    await pw?.proc.stop('SIGKILL');
    if (pw) rmSync(pw.dataDir, { recursive: true, force: true });
    await deleteRedisPrefix(prefix);
    // What an abandoned request left running must not slow the next shape.
    await pgQuery(
      dbUrl,
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND application_name <> $1`,
      [BENCH_APP],
    );
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => (times.length ? Math.round(times[Math.min(times.length - 1, Math.ceil(q * times.length) - 1)]) : undefined);
  const timing: ShapeTiming = {
    shape: s.name,
    clicks,
    build: BUILD,
    requests: times.length,
    ok: statuses['200'] ?? 0,
    statuses,
    p50Ms: at(0.5),
    p95Ms: at(0.95),
    rows,
    peakRssMb,
    stopped,
    loadAverage,
    at: new Date().toISOString(),
  };
  ctx.log(
    `report-shapes: ${s.name} at ${clicks.toLocaleString('en-US')}: p50 ${timing.p50Ms} ms, p95 ${timing.p95Ms} ms, ${JSON.stringify(statuses)}, ` +
      `${rows ?? '–'} rows, peak RSS ${peakRssMb} MB${stopped ? `; stopped: ${stopped}` : ''}`,
  );
  return timing;
}
