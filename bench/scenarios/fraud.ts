import { rmSync } from 'node:fs';
import { createDatabase, deleteRedisPrefix, newQueuePrefix } from '../lib/infra';
import { runLoad } from '../lib/load';
import { adminApi, clickPath, setUpCampaigns, startPostwire, type Postwire } from '../lib/postwire';
import type { ScenarioResult } from '../lib/result-types';
import { allAnswered, alternate, type BenchContext, load1, measurement, median, ratio, spread, timed } from './context';

const UA = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1';

/**
 * What fraud scoring costs on the click path: the same tracker on the same PostgreSQL, once scoring
 * (the default) and once with FRAUD_SCORING=off as the baseline, alternating in one run. The scored
 * campaign has a policy with every kind of list (IP ranges, user-agent patterns, sub-id values) and a
 * bot safe URL, so the inline user-agent check runs on every click and the batch scores against the
 * lists and the ASN data. Target: ≥ 0.9×.
 */
export async function fraudScenario(ctx: BenchContext): Promise<ScenarioResult> {
  const loadAverage = load1();
  const connections = ctx.connections;
  const limit = ctx.warmupSec + ctx.measureSec * 3 + 60;
  const db = await createDatabase();
  const prefix = newQueuePrefix();
  let on: Postwire | undefined;
  let off: Postwire | undefined;
  try {
    on = await startPostwire({ entry: 'tracker', databaseUrl: db.url, queuePrefix: prefix, env: { FRAUD_SCORING: 'on' } });
    off = await startPostwire({ entry: 'tracker', databaseUrl: db.url, queuePrefix: prefix, env: { FRAUD_SCORING: 'off' } });
    const [onCampaign, offCampaign] = (await setUpCampaigns(on.url, 'http://127.0.0.1:9', 2)).campaignIds;
    const policy = {
      blockedIps: Array.from({ length: 200 }, (_, i) => `203.0.${i}.0/24`),
      blockedUserAgents: ['evil-scraper', 'python-requests/\\d+'],
      blockedSubs: [{ param: 'sub2', values: Array.from({ length: 1000 }, (_, i) => `zone-${i}`) }],
      botSafeUrl: 'https://safe.example/?c={click_id}',
    };
    for (const id of [onCampaign, offCampaign]) await adminApi(on.url, 'PUT', `/api/fraud/campaigns/${id}/policy`, policy);
    const headers = { 'user-agent': UA, 'x-forwarded-for': '8.8.8.8' };
    ctx.log('fraud: warm-up');
    const warmOff = await runLoad({ kind: 'static', url: off.url, path: clickPath(offCampaign), connections, durationSec: ctx.warmupSec, headers }, limit);
    await runLoad({ kind: 'static', url: on.url, path: clickPath(onCampaign), connections, durationSec: ctx.warmupSec, headers }, limit);
    const amount = Math.max(1000, Math.round(warmOff.rps * ctx.measureSec));
    const runs = await alternate(
      ctx.rounds,
      () => timed(off!.proc, () => runLoad({ kind: 'static', url: off!.url, path: clickPath(offCampaign), connections, amount, headers }, limit)),
      () => timed(on!.proc, () => runLoad({ kind: 'static', url: on!.url, path: clickPath(onCampaign), connections, amount, headers }, limit)),
    );
    const ours = measurement('fraud scoring on', median(runs.ours), on.proc.peakRssMb());
    const baseline = measurement('FRAUD_SCORING=off', median(runs.baseline), off.proc.peakRssMb());
    ctx.log(`fraud: off ${spread(runs.baseline)}/s, on ${spread(runs.ours)}/s`);
    return {
      id: 'click-fraud-scoring',
      title: 'Clicks with fraud scoring (inline bot check + batch scoring) vs without (PostgreSQL)',
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
