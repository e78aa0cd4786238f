import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createDatabase, deleteRedisPrefix, newQueuePrefix, pgQuery } from '../lib/infra';
import { countStatus, runLoad } from '../lib/load';
import type { LoadResult } from '../lib/load-types';
import type { SoakResult, SoakSample } from '../lib/growth-types';
import { BUILD, clickPath, setUpCampaigns, startPostwire, type Postwire } from '../lib/postwire';
import { pollUntil, rssMbOf } from '../lib/proc';
import { Receiver } from '../../test/support/receiver';
import { check, type BenchContext, load1 } from './context';
import { precreateClicks } from './postbacks';

export interface SoakOptions {
  minutes: number;
  clicksPerSec: number;
  postbacksPerSec: number;
}

/**
 * Tracker and worker on PostgreSQL + Redis under a steady, moderate load for `minutes` (clicks and
 * generic postbacks forwarded to a local receiver), one minute at a time; after each minute the
 * RSS of both processes and the database size are sampled. The question is whether memory levels
 * off or keeps rising, so the load stays far below saturation and leaves the machine usable.
 */
export async function soakScenario(ctx: BenchContext, options: SoakOptions): Promise<SoakResult> {
  const startedAt = new Date().toISOString();
  const db = await createDatabase();
  const prefix = newQueuePrefix();
  const receiver = await Receiver.start({ keepRequests: false });
  const scratch = mkdtempSync(join(ctx.tmp, 'soak-'));
  const tag = randomBytes(3).toString('hex');
  const perMinute = { clicks: options.clicksPerSec * 60, postbacks: options.postbacksPerSec * 60 };
  let tracker: Postwire | undefined;
  let worker: Postwire | undefined;
  try {
    tracker = await startPostwire({ entry: 'tracker', databaseUrl: db.url, queuePrefix: prefix });
    worker = await startPostwire({ entry: 'worker', databaseUrl: db.url, queuePrefix: prefix });
    const [clickCampaign, postbackCampaign] = (await setUpCampaigns(tracker.url, receiver.url, 2)).campaignIds;
    const ids = join(scratch, 'ids.txt');
    await precreateClicks(db.url, postbackCampaign, perMinute.postbacks * options.minutes + 1000, ids);
    ctx.log(`soak: ${options.minutes} min at ${options.clicksPerSec} clicks/s and ${options.postbacksPerSec} postbacks/s`);

    const samples: SoakSample[] = [];
    const clickRuns: LoadResult[] = [];
    const postbackRuns: LoadResult[] = [];
    let offset = 0;
    let cpu = { tracker: tracker.proc.cpuSeconds(), worker: worker.proc.cpuSeconds() };
    const since = (before: number | undefined, now: number | undefined) =>
      before !== undefined && now !== undefined ? Math.round((now - before) * 10) / 10 : undefined;
    for (let minute = 1; minute <= options.minutes; minute++) {
      const [clicks, postbacks] = await Promise.all([
        runLoad(
          { kind: 'static', url: tracker.url, path: clickPath(clickCampaign), connections: 10, overallRate: options.clicksPerSec, amount: perMinute.clicks },
          180,
        ),
        runLoad(
          {
            kind: 'postbacks',
            url: tracker.url,
            pathPrefix: '/postback',
            clickIds: { file: ids },
            offset,
            txidPrefix: `s${tag}`,
            connections: 5,
            overallRate: options.postbacksPerSec,
            amount: perMinute.postbacks,
          },
          180,
        ),
      ]);
      offset = postbacks.nextOffset;
      clickRuns.push(clicks);
      postbackRuns.push(postbacks);
      const now = { tracker: tracker.proc.cpuSeconds(), worker: worker.proc.cpuSeconds() };
      const [{ mb }] = await pgQuery<{ mb: number }>(db.url, 'SELECT (pg_database_size(current_database()) / 1048576)::int AS mb');
      const sample: SoakSample = {
        minute,
        trackerRssMb: rssMbOf(tracker.proc.pid),
        workerRssMb: rssMbOf(worker.proc.pid),
        databaseMb: mb,
        clicks: clicks.completed,
        clicksP50Ms: clicks.latencyMs.p50,
        clicksP99Ms: clicks.latencyMs.p99,
        postbacks: postbacks.completed,
        postbacksP99Ms: postbacks.latencyMs.p99,
        trackerCpuSec: since(cpu.tracker, now.tracker),
        workerCpuSec: since(cpu.worker, now.worker),
        loadAverage: load1(),
      };
      cpu = now;
      samples.push(sample);
      ctx.log(
        `soak: minute ${minute}: RSS tracker ${sample.trackerRssMb} MB, worker ${sample.workerRssMb} MB; database ${mb} MB; ` +
          `clicks p99 ${sample.clicksP99Ms} ms, postbacks p99 ${sample.postbacksP99Ms} ms; load ${sample.loadAverage}`,
      );
    }

    const redirects = clickRuns.reduce((n, r) => n + countStatus(r, 302), 0);
    const accepted = postbackRuns.reduce((n, r) => n + countStatus(r, 200), 0);
    const sent = { clicks: clickRuns.reduce((n, r) => n + r.completed + r.errors, 0), postbacks: postbackRuns.reduce((n, r) => n + r.completed + r.errors, 0) };
    const count = async (text: string, params: unknown[] = []) => (await pgQuery<{ n: number }>(db.url, text, params))[0].n;
    const storedClicks = () => count('SELECT count(*)::int AS n FROM clicks WHERE campaign_id = $1', [clickCampaign]);
    const delivered = () =>
      count(`SELECT count(*)::int AS n FROM deliveries d JOIN conversions c ON c.id = d.conversion_id WHERE c.txid LIKE $1 AND d.status = 'delivered'`, [
        `s${tag}-%`,
      ]);
    await pollUntil(async () => (await storedClicks()) >= redirects, 15_000);
    await pollUntil(async () => receiver.firstByTxid.size >= accepted && (await delivered()) >= accepted, 60_000, 250);
    const clicksStored = await storedClicks();
    const conversions = await count('SELECT count(*)::int AS n FROM conversions WHERE txid LIKE $1', [`s${tag}-%`]);
    const deliveredCount = await delivered();
    const repeated = receiver.repeatedKeys();
    const workerStopped = await worker.proc.stop('SIGTERM');
    const trackerStopped = await tracker.proc.stop('SIGTERM');

    return {
      startedAt,
      build: BUILD,
      minutes: options.minutes,
      clicksPerSec: options.clicksPerSec,
      postbacksPerSec: options.postbacksPerSec,
      samples,
      verdict: { tracker: growthVerdict(samples.map((s) => s.trackerRssMb)), worker: growthVerdict(samples.map((s) => s.workerRssMb)) },
      checks: [
        check('every click answered 302', redirects === sent.clicks, `${redirects} of ${sent.clicks}`),
        check('every postback answered 200', accepted === sent.postbacks, `${accepted} of ${sent.postbacks}`),
        check('one stored click per 302', clicksStored === redirects, `${redirects} redirects, ${clicksStored} clicks stored`),
        check('one conversion per 200', conversions === accepted, `${accepted} answered 200, ${conversions} conversions`),
        check(
          'every conversion delivered once',
          deliveredCount === conversions && receiver.firstByTxid.size === conversions && repeated.length === 0,
          `${deliveredCount} marked delivered, receiver saw ${receiver.firstByTxid.size} txids, ${repeated.length} repeated Idempotency-Keys`,
        ),
        check('tracker and worker stop gracefully on SIGTERM', workerStopped && trackerStopped, `worker ${workerStopped}, tracker ${trackerStopped}`),
      ],
    };
  } finally {
    await worker?.proc.stop('SIGKILL');
    await tracker?.proc.stop('SIGKILL');
    for (const p of [worker, tracker]) if (p) rmSync(p.dataDir, { recursive: true, force: true });
    await receiver.close();
    await db.drop();
    await deleteRedisPrefix(prefix);
    rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * Whether a series of RSS samples kept rising: the second half's least-squares slope, in MB per
 * hour. A heap levels off after warm-up; a leak keeps a positive slope however long it runs.
 */
export function growthVerdict(series: (number | undefined)[]): string {
  const points = series.map((y, i) => ({ x: i + 1, y })).filter((p): p is { x: number; y: number } => p.y !== undefined);
  const half = points.slice(Math.floor(points.length / 2));
  if (half.length < 3) return 'too few samples to tell';
  const mx = half.reduce((s, p) => s + p.x, 0) / half.length;
  const my = half.reduce((s, p) => s + p.y, 0) / half.length;
  const slope = half.reduce((s, p) => s + (p.x - mx) * (p.y - my), 0) / half.reduce((s, p) => s + (p.x - mx) ** 2, 0);
  const perHour = Math.round(slope * 60 * 10) / 10;
  const first = points[0].y;
  const last = points[points.length - 1].y;
  const max = Math.max(...points.map((p) => p.y));
  // Under ~5 MB an hour is allocator and heap sizing noise at these sizes (150–250 MB).
  const rising = perHour > 5;
  return `${rising ? 'still rising' : 'levelled off'}: ${first} MB after minute 1, ${last} MB at the end (max ${max}), second-half trend ${perHour} MB/hour`;
}
