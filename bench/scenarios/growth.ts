import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, statfsSync } from 'node:fs';
import { join } from 'node:path';
import type { GrowthResult, GrowthStep, RelationSize } from '../lib/growth-types';
import { deleteRedisPrefix, keptDatabase, newQueuePrefix, pgQuery } from '../lib/infra';
import { countStatus, runLoad } from '../lib/load';
import { BUILD, clickPath, setUpCampaigns, startPostwire, type Postwire } from '../lib/postwire';
import { pollUntil } from '../lib/proc';
import type { Check } from '../lib/result-types';
import { allAnswered, type BenchContext, check, load1, measurement, median, spread, timed, type TimedLoad } from './context';
import { addHistory, dataCampaigns, DATA_CAMPAIGNS, DATA_DAYS, markDataCampaigns, rebuildRollups, rollupMismatches } from './growth-data';
import { precreateClicks } from './postbacks';
import { timeRequests } from './reports';

export interface GrowthOptions {
  /** The kept database (created fresh unless `reuse`). */
  database: string;
  /**
   * Clicks stored before each measurement, ascending; the database is grown to each in turn. With
   * `reuse`, sizes it already has are skipped, and none at all means: measure it as it is, once.
   */
  steps: number[];
  /** Keep what the database holds (another build against the same data, or growing it further). */
  reuse: boolean;
}

const RELATIONS = [
  'clicks',
  'conversions',
  'postbacks',
  'deliveries',
  'delivery_attempts',
  'click_rollups',
  'click_totals',
  'conversion_rollups',
  'conversion_totals',
];
/** Room left on the disk after a step, besides the estimate, for WAL and everyone else on the machine. */
const SPARE_BYTES = 8 * 2 ** 30;

/**
 * The click and postback paths of the clicks and postbacks scenarios (50 connections, warm-up,
 * fixed-size measured runs, median; no baseline) on PostgreSQL with more and more clicks already
 * stored: a realistic history (see growth-data.ts) added set-based between the steps into one kept
 * database, so a later run can measure another build against it without filling it again.
 */
export async function growthScenario(ctx: BenchContext, options: GrowthOptions, onStep: (soFar: GrowthResult) => void = () => {}): Promise<GrowthResult> {
  const startedAt = new Date().toISOString();
  const db = await keptDatabase(options.database, !options.reuse);
  const checks: Check[] = [];
  const steps: GrowthStep[] = [];
  const notes: string[] = [];
  const result = (): GrowthResult => ({
    startedAt,
    database: options.database,
    build: BUILD,
    reused: options.reuse,
    connections: ctx.connections,
    steps: [...steps],
    checks: [...checks],
    notes: [...notes],
  });
  // The first boot migrates a fresh database; its campaigns carry the stored history.
  let history = options.reuse ? await dataCampaigns(db.url) : [];
  if (!options.reuse) {
    const first = await startPostwire({ entry: 'tracker', databaseUrl: db.url, queuePrefix: newQueuePrefix() });
    try {
      history = (await setUpCampaigns(first.url, 'http://127.0.0.1:9', DATA_CAMPAIGNS)).campaignIds;
      await markDataCampaigns(db.url, history);
    } finally {
      await first.proc.stop('SIGTERM');
      rmSync(first.dataDir, { recursive: true, force: true });
    }
  }
  if (history.length !== DATA_CAMPAIGNS) throw new Error(`database ${options.database} has ${history.length} history campaigns, expected ${DATA_CAMPAIGNS}`);

  const already = options.reuse ? await countClicks(db.url) : 0;
  const larger = options.steps.filter((t) => t > already);
  const targets = options.reuse && !larger.length ? [already] : options.reuse ? larger : options.steps;
  for (const target of targets) {
    const stored = await countClicks(db.url);
    let populateSec = 0;
    if (target > stored) {
      const room = await roomFor(db.url, target - stored, stored);
      if (room) {
        notes.push(room);
        ctx.log(`growth: ${room}`);
        break;
      }
      const from = await countHistory(db.url, history);
      ctx.log(`growth: adding ${(target - stored).toLocaleString('en-US')} clicks of history (${from.toLocaleString('en-US')} so far)`);
      const began = Date.now();
      await addHistory(db.url, history, from, target - stored, (done) => ctx.log(`growth: ${done.toLocaleString('en-US')} added`));
      ctx.log('growth: rollups, VACUUM ANALYZE');
      await rebuildRollups(db.url);
      await pgQuery(db.url, 'VACUUM ANALYZE');
      populateSec = Math.round((Date.now() - began) / 1000);
      const [span] = await pgQuery<{ days: number; campaigns: number }>(
        db.url,
        `SELECT (extract(epoch FROM max(created_at) - min(created_at)) / 86400)::float8 AS days, count(DISTINCT campaign_id)::int AS campaigns
         FROM clicks WHERE campaign_id = ANY ($1::uuid[])`,
        [history],
      );
      checks.push(
        check(
          `${target.toLocaleString('en-US')}: history spread over the last ${DATA_DAYS} days and ${DATA_CAMPAIGNS} campaigns`,
          span.days > DATA_DAYS - 1 && span.campaigns === DATA_CAMPAIGNS,
          `${span.days.toFixed(1)} days, ${span.campaigns} campaigns`,
        ),
      );
    }
    steps.push(await measureStep(ctx, db.url, populateSec, checks));
    // Saved after every step: the big steps take long enough that a run may be stopped before the end.
    onStep(result());
  }
  return result();
}

async function countClicks(dbUrl: string): Promise<number> {
  return (await pgQuery<{ n: number }>(dbUrl, 'SELECT count(*)::int AS n FROM clicks'))[0].n;
}

async function countHistory(dbUrl: string, campaigns: string[]): Promise<number> {
  return (await pgQuery<{ n: number }>(dbUrl, 'SELECT count(*)::int AS n FROM clicks WHERE campaign_id = ANY ($1::uuid[])', [campaigns]))[0].n;
}

/**
 * Undefined when the disk holding the PostgreSQL data directory has room for `adding` more clicks
 * (at the bytes per click stored so far, or 2 KB before there is enough to tell), else why not.
 */
async function roomFor(dbUrl: string, adding: number, stored: number): Promise<string | undefined> {
  const [{ dir, bytes }] = await pgQuery<{ dir: string; bytes: string }>(
    dbUrl,
    `SELECT current_setting('data_directory') AS dir, pg_database_size(current_database())::text AS bytes`,
  );
  if (!existsSync(dir)) return undefined; // a server elsewhere: nothing to look at here
  const perClick = stored >= 1_000_000 ? Number(bytes) / stored : 2048;
  const needed = adding * perClick;
  const fs = statfsSync(dir);
  const free = fs.bavail * fs.bsize;
  const gb = (n: number) => `${(n / 2 ** 30).toFixed(1)} GB`;
  return needed + SPARE_BYTES > free
    ? `stopped before adding ${adding.toLocaleString('en-US')} clicks: they need ~${gb(needed)} (${Math.round(perClick)} bytes per click so far) and the disk has ${gb(free)} free`
    : undefined;
}

async function relationSizes(dbUrl: string): Promise<{ databaseMb: number; relations: RelationSize[] }> {
  const rows = await pgQuery<{ name: string; table_mb: number; index_mb: number }>(
    dbUrl,
    `SELECT r AS name, (pg_table_size(r::regclass) / 1048576)::int AS table_mb, (pg_indexes_size(r::regclass) / 1048576)::int AS index_mb
     FROM unnest($1::text[]) r`,
    [RELATIONS],
  );
  const [{ mb }] = await pgQuery<{ mb: number }>(dbUrl, 'SELECT (pg_database_size(current_database()) / 1048576)::int AS mb');
  return { databaseMb: mb, relations: rows.map((r) => ({ name: r.name, tableMb: r.table_mb, indexMb: r.index_mb })) };
}

/** One step: a fresh tracker, the clicks scenario's load, then the postbacks scenario's load, each counted afterwards. */
async function measureStep(ctx: BenchContext, dbUrl: string, populateSec: number, checks: Check[]): Promise<GrowthStep> {
  const storedClicks = await countClicks(dbUrl);
  const [{ n: storedConversions }] = await pgQuery<{ n: number }>(dbUrl, 'SELECT count(*)::int AS n FROM conversions');
  const sizes = await relationSizes(dbUrl);
  const at = `${storedClicks.toLocaleString('en-US')} stored`;
  ctx.log(`growth: measuring with ${at} (database ${sizes.databaseMb.toLocaleString('en-US')} MB)`);
  const prefix = newQueuePrefix();
  const scratch = mkdtempSync(join(ctx.tmp, 'growth-'));
  const connections = ctx.connections;
  const limit = ctx.warmupSec + ctx.measureSec * 3 + 60;
  const tag = randomBytes(3).toString('hex');
  let pw: Postwire | undefined;
  try {
    pw = await startPostwire({ entry: 'tracker', databaseUrl: dbUrl, queuePrefix: prefix, cpuProfDir: ctx.cpuProfDir });
    const app = pw;
    // Forwarding is not measured here: no worker runs, the deliveries' jobs wait in Redis and are deleted with the prefix.
    const [warmCampaign, clickCampaign, postbackCampaign] = (await setUpCampaigns(app.url, 'http://127.0.0.1:9', 3)).campaignIds;
    const loadAverage = load1();
    const pg = { dbUrl, who: 'postwire' as const };

    const warm = await runLoad({ kind: 'static', url: app.url, path: clickPath(warmCampaign), connections, durationSec: ctx.warmupSec }, limit);
    const clickRuns: TimedLoad[] = [];
    for (let round = 0; round < ctx.rounds; round++)
      clickRuns.push(
        await timed(
          app.proc,
          () =>
            runLoad(
              { kind: 'static', url: app.url, path: clickPath(clickCampaign), connections, amount: Math.max(1000, Math.round(warm.rps * ctx.measureSec)) },
              limit,
            ),
          pg,
        ),
      );
    const redirects = clickRuns.reduce((n, r) => n + countStatus(r, 302), 0);
    const clicksOf = async () => (await pgQuery<{ n: number }>(dbUrl, 'SELECT count(*)::int AS n FROM clicks WHERE campaign_id = $1', [clickCampaign]))[0].n;
    await pollUntil(async () => (await clicksOf()) >= redirects, 15_000);
    const clicksStored = await clicksOf();
    clickRuns.forEach((r, i) => checks.push(allAnswered(`${at}: clicks run ${i + 1}`, r, 302)));
    checks.push(check(`${at}: one stored click per 302`, clicksStored === redirects, `${redirects} redirects, ${clicksStored} clicks stored`));
    ctx.log(`growth: ${at}: clicks ${spread(clickRuns)}/s`);

    const ids = join(scratch, 'ids.txt');
    const pool = ctx.quick ? 60_000 : 150_000;
    await precreateClicks(dbUrl, postbackCampaign, pool, ids);
    const pbWarm = await runLoad(
      {
        kind: 'postbacks',
        url: app.url,
        pathPrefix: '/postback',
        clickIds: { file: ids },
        offset: 0,
        txidPrefix: `w${tag}`,
        connections,
        durationSec: ctx.warmupSec,
      },
      limit,
    );
    let offset = pbWarm.nextOffset;
    const postbackRuns: TimedLoad[] = [];
    for (let round = 0; round < ctx.rounds; round++) {
      const left = pool - offset - connections * 2;
      const amount = Math.min(Math.floor(left / (ctx.rounds - round)), Math.max(500, Math.round(pbWarm.rps * ctx.measureSec)));
      const r = await timed(
        app.proc,
        () =>
          runLoad(
            { kind: 'postbacks', url: app.url, pathPrefix: '/postback', clickIds: { file: ids }, offset, txidPrefix: `m${tag}`, connections, amount },
            limit,
          ),
        pg,
      );
      offset = r.nextOffset;
      postbackRuns.push(r);
    }
    ctx.log(`growth: ${at}: postbacks ${spread(postbackRuns)}/s`);
    const reports = await timeReports(app.url, dbUrl, checks, at);
    const peakRssMb = app.proc.peakRssMb();
    const graceful = await app.proc.stop('SIGTERM');
    const accepted = postbackRuns.reduce((n, r) => n + countStatus(r, 200), 0);
    const count = async (text: string) => (await pgQuery<{ n: number }>(dbUrl, text, [`m${tag}-%`]))[0].n;
    const conversions = await count('SELECT count(*)::int AS n FROM conversions WHERE txid LIKE $1');
    const deliveries = await count('SELECT count(*)::int AS n FROM deliveries d JOIN conversions c ON c.id = d.conversion_id WHERE c.txid LIKE $1');
    checks.push(allAnswered(`${at}: postback warm-up`, pbWarm, 200));
    postbackRuns.forEach((r, i) => checks.push(allAnswered(`${at}: postbacks run ${i + 1}`, r, 200)));
    checks.push(
      check(
        `${at}: one conversion and one delivery per 200`,
        conversions === accepted && deliveries === accepted,
        `${accepted} answered 200; ${conversions} conversions, ${deliveries} deliveries`,
      ),
    );
    checks.push(check(`${at}: tracker stops gracefully on SIGTERM`, graceful, graceful ? 'ended by itself' : 'had to be killed'));
    // The postback campaigns' clicks went straight into the table, past the rollups (precreateClicks).
    const direct = (await pgQuery<{ id: string }>(dbUrl, `SELECT id FROM campaigns WHERE name = 'Bench 2'`)).map((r) => r.id);
    const mismatched = await rollupMismatches(dbUrl, direct);
    checks.push(
      check(
        `${at}: report totals agree with the stored clicks and conversions`,
        mismatched.clicks === 0 && mismatched.conversions === 0,
        `campaigns disagreeing: ${mismatched.clicks} on clicks, ${mismatched.conversions} on conversions`,
      ),
    );
    return {
      build: BUILD,
      storedClicks,
      storedConversions,
      populateSec,
      ...sizes,
      clicks: measurement('clicks', median(clickRuns), peakRssMb),
      postbacks: measurement('postbacks', median(postbackRuns), peakRssMb),
      reports,
      loadAverage,
    };
  } finally {
    await pw?.proc.stop('SIGKILL');
    if (pw) rmSync(pw.dataDir, { recursive: true, force: true });
    await deleteRedisPrefix(prefix);
    rmSync(scratch, { recursive: true, force: true });
  }
}

const REPORT_REQUESTS = 10;

/**
 * The reports scenario's two requests over the stored history, one at a time: 30 days by day and
 * campaign (rollups) and one history campaign's last 7 days by sub1 (raw clicks), which is the one
 * that grows with the clicks kept.
 */
async function timeReports(base: string, dbUrl: string, checks: Check[], at: string): Promise<GrowthStep['reports']> {
  const [campaign] = await dataCampaigns(dbUrl);
  if (!campaign) return undefined;
  // Reports count in 15-minute buckets and take only range ends on them.
  const end = Math.floor(Date.now() / 900_000) * 900_000;
  const iso = (ms: number) => new Date(ms).toISOString();
  const byDay = await timeRequests(
    base,
    `/api/reports/stats?from=${iso(end - 30 * 86_400_000)}&to=${iso(end)}&groupBy=day,campaign&limit=10000`,
    REPORT_REQUESTS,
  );
  const bySub = await timeRequests(
    base,
    `/api/reports/stats?from=${iso(end - 7 * 86_400_000)}&to=${iso(end)}&groupBy=sub1&campaign=${campaign}&limit=10000`,
    REPORT_REQUESTS,
  );
  checks.push(
    check(
      `${at}: every report request answered 200`,
      byDay.ok === REPORT_REQUESTS && bySub.ok === REPORT_REQUESTS,
      `${byDay.ok} + ${bySub.ok} of ${2 * REPORT_REQUESTS}`,
    ),
  );
  return { dayCampaignP50Ms: byDay.p50, dayCampaignP95Ms: byDay.p95, sub1P50Ms: bySub.p50, sub1P95Ms: bySub.p95 };
}
