import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createDatabase, deleteRedisPrefix, newQueuePrefix, pgQuery } from '../lib/infra';
import { countStatus, runLoad } from '../lib/load';
import { withEmbedded } from '../lib/pglite';
import { clickPath, setUpCampaigns, startEmbedded, startPostwire, type Postwire } from '../lib/postwire';
import { freePort, pollUntil, ServerProcess } from '../lib/proc';
import type { ScenarioResult } from '../lib/result-types';
import { allAnswered, BASELINES, type BenchContext, check, firstBoot, load1, measurement, median, ratio, spread, timed, type TimedLoad } from './context';

/**
 * `GET /c/:id` (302, click stored) against, on PostgreSQL, bare Fastify group-committing the same
 * click row (the limit of a durable click; the ratio's baseline), and bare node:http answering the
 * same 302 (the stretch line; the only baseline on PGlite). Afterwards the
 * stored clicks are counted: the measured runs must have stored exactly one click per 302 once the
 * writer flushed; a last, smaller run collects every redirect's click id and is stopped with
 * SIGTERM right after, so its ids must all be stored by the shutdown flush, none missing, none extra.
 */
export async function clicksScenario(ctx: BenchContext, driver: 'postgres' | 'pglite'): Promise<ScenarioResult> {
  const embedded = driver === 'pglite';
  const id = embedded ? 'embedded-clicks' : 'clicks';
  const loadAverage = load1();
  const connections = ctx.connections;
  const limit = ctx.warmupSec + ctx.measureSec * 3 + 60;
  const db = embedded ? undefined : await createDatabase();
  const prefix = newQueuePrefix();
  let base: ServerProcess | undefined;
  let durable: ServerProcess | undefined;
  let pw: Postwire | undefined;
  try {
    const basePort = await freePort();
    base = await ServerProcess.start({ name: 'bare 302', script: join(BASELINES, 'bare-302.js'), env: { PORT: String(basePort) }, ready: { line: 'ready' } });
    const baseUrl = `http://127.0.0.1:${basePort}`;
    const basePath = clickPath('00000000-0000-4000-8000-000000000000');
    pw = embedded
      ? await startEmbedded({ queuePrefix: prefix, cpuProfDir: ctx.cpuProfDir })
      : await startPostwire({ entry: 'tracker', databaseUrl: db?.url, queuePrefix: prefix, cpuProfDir: ctx.cpuProfDir });
    const app = pw;
    const [warmCampaign, measureCampaign, verifyCampaign, durableCampaign] = (await setUpCampaigns(app.url, 'http://127.0.0.1:9', embedded ? 3 : 4))
      .campaignIds;
    // On PostgreSQL the limit of a durable click: bare Fastify group-committing the same row into the same table.
    const durablePort = await freePort();
    if (db)
      durable = await ServerProcess.start({
        name: 'durable Fastify click',
        script: join(BASELINES, 'fastify-click-commit.js'),
        env: { PORT: String(durablePort), DATABASE_URL: db.url, BASELINE_CAMPAIGN_ID: durableCampaign },
        ready: { line: 'ready' },
      });
    const durableUrl = `http://127.0.0.1:${durablePort}`;

    ctx.log(`${id}: warm-up`);
    const baseWarm = await runLoad({ kind: 'static', url: baseUrl, path: basePath, connections, durationSec: ctx.warmupSec }, limit);
    const durableWarm =
      durable && (await runLoad({ kind: 'static', url: durableUrl, path: clickPath(durableCampaign), connections, durationSec: ctx.warmupSec }, limit));
    const warm = await runLoad({ kind: 'static', url: app.url, path: clickPath(warmCampaign), connections, durationSec: ctx.warmupSec }, limit);
    const amount = (rps: number) => Math.max(1000, Math.round(rps * ctx.measureSec));
    // Alternating the sides, round after round, so a disturbance from elsewhere hits all of them.
    const runs = { baseline: [] as TimedLoad[], durable: [] as TimedLoad[], ours: [] as TimedLoad[] };
    for (let round = 0; round < ctx.rounds; round++) {
      runs.baseline.push(await timed(base, () => runLoad({ kind: 'static', url: baseUrl, path: basePath, connections, amount: amount(baseWarm.rps) }, limit)));
      if (durable && durableWarm && db)
        runs.durable.push(
          await timed(
            durable,
            () => runLoad({ kind: 'static', url: durableUrl, path: clickPath(durableCampaign), connections, amount: amount(durableWarm.rps) }, limit),
            { dbUrl: db.url, who: 'baseline' },
          ),
        );
      runs.ours.push(
        await timed(
          app.proc,
          () => runLoad({ kind: 'static', url: app.url, path: clickPath(measureCampaign), connections, amount: amount(warm.rps) }, limit),
          db && { dbUrl: db.url, who: 'postwire' },
        ),
      );
    }
    const baseLoad = median(runs.baseline);
    const load = median(runs.ours);
    const nodeHttp = measurement('bare node:http 302', baseLoad, base.peakRssMb());
    const durableLoad = runs.durable.length ? median(runs.durable) : undefined;
    const durableBaseline = durableLoad && measurement('bare Fastify, same row group-committed (synchronous_commit on)', durableLoad, durable?.peakRssMb());
    const baseline = durableBaseline ?? nodeHttp;
    ctx.log(
      `${id}: node:http ${spread(runs.baseline)}/s, ${durable ? `durable Fastify ${spread(runs.durable)}/s (p99 ${durableLoad?.latencyMs.p99} ms), ` : ''}` +
        `Postwire ${spread(runs.ours)}/s (p99 ${load.latencyMs.p99} ms)`,
    );

    const redirects = runs.ours.reduce((n, r) => n + countStatus(r, 302), 0);
    const checks = runs.ours.map((r, i) => allAnswered(`measured run ${i + 1}`, r, 302));
    // The ratio is only worth something when the baseline stored every click it answered (a failing INSERT answers 503s, fast).
    checks.push(...runs.durable.map((r, i) => allAnswered(`durable baseline run ${i + 1}`, r, 302)));
    const countPg = async (campaignId: string) =>
      (await pgQuery<{ n: number }>(db!.url, 'SELECT count(*)::int AS n FROM clicks WHERE campaign_id = $1', [campaignId]))[0].n;
    if (!embedded) {
      // "After the flush interval": the writer flushes every few ms; allow it a generous 10 s.
      await pollUntil(async () => (await countPg(measureCampaign)) >= redirects, 10_000);
      const storedWhileRunning = await countPg(measureCampaign);
      checks.push(
        check(
          'measured runs: one stored click per 302, while running',
          storedWhileRunning === redirects,
          `${redirects} redirects, ${storedWhileRunning} clicks stored`,
        ),
      );
    }

    const idsFile = join(ctx.tmp, `${id}-verify-ids.txt`);
    const verifyAmount = ctx.quick ? 2000 : 5000;
    const verify = await runLoad(
      { kind: 'static', url: app.url, path: clickPath(verifyCampaign), connections, amount: verifyAmount, collectClickIds: true, clickIdsOut: idsFile },
      limit,
    );
    const peakRssMb = app.proc.peakRssMb();
    // Straight to SIGTERM: whatever the writer still buffers must be stored by the shutdown.
    const graceful = await app.proc.stop('SIGTERM');
    checks.push(check('graceful shutdown on SIGTERM', graceful, graceful ? 'ended by itself' : 'had to be killed'));

    const redirected = readFileSync(idsFile, 'utf8').split('\n').filter(Boolean);
    const storedIds = async (q: <R>(text: string, params: unknown[]) => Promise<R[]>) => ({
      measured: (await q<{ n: number }>('SELECT count(*)::int AS n FROM clicks WHERE campaign_id = $1', [measureCampaign]))[0].n,
      verifyIds: (await q<{ id: string }>('SELECT id FROM clicks WHERE campaign_id = $1', [verifyCampaign])).map((r) => r.id),
    });
    const stored = embedded ? await withEmbedded(app.dataDir, (q) => storedIds(q)) : await storedIds((text, params) => pgQuery(db!.url, text, params));
    if (embedded)
      checks.push(check('measured runs: one stored click per 302', stored.measured === redirects, `${redirects} redirects, ${stored.measured} clicks stored`));
    const storedSet = new Set(stored.verifyIds);
    const redirectedSet = new Set(redirected);
    const missing = redirected.filter((r) => !storedSet.has(r)).length;
    const extra = stored.verifyIds.filter((s) => !redirectedSet.has(s)).length;
    checks.push(
      check(
        'every redirected click id stored exactly once, through a SIGTERM',
        verify.completed === verifyAmount && redirected.length === verifyAmount && redirectedSet.size === redirected.length && missing === 0 && extra === 0,
        `${redirected.length} ids redirected (${redirectedSet.size} distinct), ${stored.verifyIds.length} stored; ${missing} missing, ${extra} unexpected`,
      ),
    );
    const ours = measurement('Postwire', load, peakRssMb);
    if (durableLoad) {
      const stored = await pgQuery<{ n: number }>(db!.url, 'SELECT count(*)::int AS n FROM clicks WHERE campaign_id = $1', [durableCampaign]);
      const answered = runs.durable.reduce((n, r) => n + countStatus(r, 302), 0) + (durableWarm ? countStatus(durableWarm, 302) : 0);
      // The warm-up is cut by time: up to one request per connection was stored but not answered by then.
      checks.push(
        check(
          'durable baseline: a row in clicks for every 302',
          stored[0].n >= answered && stored[0].n <= answered + connections,
          `${answered} redirects, ${stored[0].n} rows (up to ${connections} more: the warm-up's cut-off requests)`,
        ),
      );
    }
    return {
      id,
      title: embedded ? 'Embedded (PGlite) clicks: GET /c/:id, 302 + click stored' : 'Clicks: GET /c/:id, 302 + click stored (PostgreSQL)',
      unit: 'clicks/s',
      connections,
      ours,
      baseline,
      ratio: ratio(ours.rps, baseline.rps),
      ...(durableBaseline ? { stretch: { ...nodeHttp, ratio: ratio(ours.rps, nodeHttp.rps) } } : {}),
      extra: {
        'all measured runs, node:http / Postwire (per s)': `${spread(runs.baseline)} / ${spread(runs.ours)}`,
        ...(durableBaseline
          ? {
              'all measured runs, durable Fastify (per s)': spread(runs.durable),
              'durable Fastify p50 / p99, CPU per click (process + PostgreSQL)': `${durableBaseline.p50Ms} / ${durableBaseline.p99Ms} ms, ${durableBaseline.cpuUsPerRequest} + ${durableBaseline.pgCpuUsPerRequest} µs`,
              'stretch: Postwire against bare node:http 302': `${ratio(ours.rps, nodeHttp.rps)}× (${nodeHttp.rps}/s)`,
            }
          : {}),
        'stored / redirected (measured runs)': `${stored.measured} / ${redirects}`,
        ...firstBoot(pw.firstBootPeakRssMb),
      },
      checks,
      loadAverage,
    };
  } finally {
    await base?.stop();
    await durable?.stop();
    await pw?.proc.stop('SIGKILL');
    if (pw) rmSync(pw.dataDir, { recursive: true, force: true });
    await db?.drop();
    await deleteRedisPrefix(prefix);
  }
}
