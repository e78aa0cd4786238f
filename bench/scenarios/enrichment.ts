import { rmSync } from 'node:fs';
import { createDatabase, deleteRedisPrefix, newQueuePrefix } from '../lib/infra';
import { runLoad } from '../lib/load';
import { clickPath, setUpCampaigns, startPostwire, type Postwire } from '../lib/postwire';
import type { ScenarioResult } from '../lib/result-types';
import { allAnswered, alternate, type BenchContext, load1, measurement, median, ratio, spread, timed } from './context';

const UA = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1';

/**
 * What click enrichment (country, device, visitor, cost) and report rollups cost on the click
 * path: the same tracker on the same PostgreSQL, once with them (the default) and once with
 * CLICK_ENRICHMENT=off as the baseline, alternating in one run. Target: ≥ 0.9×.
 */
export async function enrichmentScenario(ctx: BenchContext): Promise<ScenarioResult> {
  const loadAverage = load1();
  const connections = ctx.connections;
  const limit = ctx.warmupSec + ctx.measureSec * 3 + 60;
  const db = await createDatabase();
  const prefix = newQueuePrefix();
  let on: Postwire | undefined;
  let off: Postwire | undefined;
  try {
    on = await startPostwire({ entry: 'tracker', databaseUrl: db.url, queuePrefix: prefix, env: { CLICK_ENRICHMENT: 'on' } });
    off = await startPostwire({ entry: 'tracker', databaseUrl: db.url, queuePrefix: prefix, env: { CLICK_ENRICHMENT: 'off' } });
    const [onCampaign, offCampaign] = (await setUpCampaigns(on.url, 'http://127.0.0.1:9', 2)).campaignIds;
    const headers = { 'user-agent': UA, 'x-forwarded-for': '8.8.8.8' };
    ctx.log('enrichment: warm-up');
    const warmOff = await runLoad({ kind: 'static', url: off.url, path: clickPath(offCampaign), connections, durationSec: ctx.warmupSec, headers }, limit);
    await runLoad({ kind: 'static', url: on.url, path: clickPath(onCampaign), connections, durationSec: ctx.warmupSec, headers }, limit);
    const amount = Math.max(1000, Math.round(warmOff.rps * ctx.measureSec));
    const runs = await alternate(
      ctx.rounds,
      () => timed(off!.proc, () => runLoad({ kind: 'static', url: off!.url, path: clickPath(offCampaign), connections, amount, headers }, limit)),
      () => timed(on!.proc, () => runLoad({ kind: 'static', url: on!.url, path: clickPath(onCampaign), connections, amount, headers }, limit)),
    );
    const ours = measurement('enrichment + rollups', median(runs.ours), on.proc.peakRssMb());
    const baseline = measurement('CLICK_ENRICHMENT=off', median(runs.baseline), off.proc.peakRssMb());
    ctx.log(`enrichment: off ${spread(runs.baseline)}/s, on ${spread(runs.ours)}/s`);
    return {
      id: 'click-enrichment',
      title: 'Clicks with enrichment and report rollups vs without (PostgreSQL)',
      unit: 'clicks/s',
      connections,
      ours,
      baseline,
      ratio: ratio(ours.rps, baseline.rps),
      extra: { 'all measured runs, off / on (per s)': `${spread(runs.baseline)} / ${spread(runs.ours)}` },
      checks: [
        ...runs.ours.map((r, i) => allAnswered(`measured run ${i + 1} (on)`, r, 302)),
        ...runs.baseline.map((r, i) => allAnswered(`measured run ${i + 1} (off)`, r, 302)),
      ],
      loadAverage,
    };
  } finally {
    await on?.proc.stop('SIGKILL');
    await off?.proc.stop('SIGKILL');
    for (const p of [on, off]) if (p) rmSync(p.dataDir, { recursive: true, force: true });
    await db.drop();
    await deleteRedisPrefix(prefix);
  }
}
