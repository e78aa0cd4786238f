import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createDatabase, deleteRedisPrefix, newQueuePrefix, pgQuery } from '../lib/infra';
import { countStatus, runLoad } from '../lib/load';
import { adminApi, clickPath, setUpCampaigns, startPostwire } from '../lib/postwire';
import { Receiver } from '../../test/support/receiver';
import type { ScenarioResult } from '../lib/result-types';
import { allAnswered, alternate, type BenchContext, check, load1, measurement, median, ratio, spread, timed } from './context';

/**
 * What the conversion-side signals of issue 24 cost on the postback path: one tracker, two campaigns
 * of one traffic source, with clicks of a known country. The baseline campaign has the default
 * policy (bot, datacenter and CTIT signals); the other checks conversion rates per source and per zone
 * (read from the report rollups, cached for a minute) and gets the buyer's country on every postback
 * (geo mismatch). Alternating runs of generic `/postback`, each a new conversion. Target: ≥ 0.9×.
 */
export async function fraudPostbacksScenario(ctx: BenchContext): Promise<ScenarioResult> {
  const loadAverage = load1();
  const connections = ctx.connections;
  const limit = ctx.warmupSec + ctx.measureSec * 3 + 60;
  const db = await createDatabase();
  const prefix = newQueuePrefix();
  const receiver = await Receiver.start({ keepRequests: false });
  const scratch = mkdtempSync(join(ctx.tmp, 'fraud-postbacks-'));
  const txid = randomBytes(3).toString('hex');
  const pw = await startPostwire({ entry: 'tracker', databaseUrl: db.url, queuePrefix: prefix, cpuProfDir: ctx.cpuProfDir });
  try {
    const [plain, signals] = (await setUpCampaigns(pw.url, receiver.url, 2)).campaignIds;
    await adminApi(pw.url, 'PUT', `/api/fraud/campaigns/${signals}/policy`, {
      conversionRate: { maxRate: 0.9, minRate: 0.00001, minClicks: 100, subParam: 'sub1', windowDays: 7 },
    });
    // Clicks made through the click path (real ids, in the report rollups the rate is read from), then placed in a country.
    const pool = ctx.quick ? 3000 : 15_000;
    const files = { plain: join(scratch, 'plain.txt'), signals: join(scratch, 'signals.txt') };
    for (const [campaign, file] of [
      [plain, files.plain],
      [signals, files.signals],
    ] as const) {
      const prep = await runLoad(
        { kind: 'static', url: pw.url, path: clickPath(campaign), connections, amount: pool, collectClickIds: true, clickIdsOut: file },
        limit,
      );
      if (countStatus(prep, 302) !== pool) throw new Error(`click preparation answered ${JSON.stringify(prep.statusCounts)}`);
    }
    const written = async () => (await pgQuery<{ n: number }>(db.url, `SELECT count(*)::int AS n FROM clicks`))[0].n;
    for (let waited = 0; (await written()) < pool * 2; waited += 200) {
      if (waited > 30_000) throw new Error(`only ${await written()} of ${pool * 2} clicks written`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    await pgQuery(db.url, `UPDATE clicks SET country = 'DE'`);
    const spec = (campaign: 'plain' | 'signals', offset: number, tag: string) => ({
      kind: 'postbacks' as const,
      url: pw.url,
      pathPrefix: '/postback',
      clickIds: { file: files[campaign] },
      offset,
      txidPrefix: `${tag}${campaign[0]}${txid}`,
      connections,
      ...(campaign === 'signals' ? { extraQuery: '&country=US' } : {}),
    });
    ctx.log('fraud-postbacks: warm-up');
    const warmPlain = await runLoad({ ...spec('plain', 0, 'w'), durationSec: ctx.warmupSec }, limit);
    const warmSignals = await runLoad({ ...spec('signals', 0, 'w'), durationSec: ctx.warmupSec }, limit);
    const offsets = { plain: warmPlain.nextOffset, signals: warmSignals.nextOffset };
    const amountOf = (left: number, round: number) =>
      Math.min(Math.floor(left / (ctx.rounds - round)), Math.max(500, Math.round(warmPlain.rps * ctx.measureSec)));
    const measure = (campaign: 'plain' | 'signals') => async (round: number) => {
      const amount = amountOf(pool - offsets[campaign] - connections * 2, round);
      const r = await timed(pw.proc, () => runLoad({ ...spec(campaign, offsets[campaign], 'm'), amount }, limit), { dbUrl: db.url, who: 'postwire' });
      offsets[campaign] = r.nextOffset;
      return r;
    };
    const runs = await alternate(ctx.rounds, measure('plain'), measure('signals'));
    const rss = pw.proc.peakRssMb();
    const ours = measurement('geo + conversion-rate signals', median(runs.ours), rss);
    const baseline = measurement('default policy', median(runs.baseline), rss);
    ctx.log(`fraud-postbacks: default ${spread(runs.baseline)}/s, signals ${spread(runs.ours)}/s (p99 ${ours.p99Ms} vs ${baseline.p99Ms} ms)`);
    const outcomes = await pgQuery<{ outcome: string; n: number }>(db.url, `SELECT outcome, count(*)::int AS n FROM postbacks GROUP BY 1`);
    const scored = await pgQuery<{ campaign_id: string; n: number }>(db.url, `SELECT campaign_id, count(*)::int AS n FROM conversion_fraud GROUP BY 1`);
    const fired = await pgQuery<{ n: number }>(
      db.url,
      `SELECT count(*)::int AS n FROM conversion_fraud f WHERE f.campaign_id = $1 AND f.signals @> '[{"code": "geo_mismatch", "fired": true}]'::jsonb`,
      [signals],
    );
    return {
      id: 'postback-fraud-signals',
      title: 'Postbacks with the geo and conversion-rate signals vs the default policy (PostgreSQL, one tracker)',
      unit: 'postbacks/s',
      connections,
      ours,
      baseline,
      ratio: ratio(ours.rps, baseline.rps),
      extra: {
        'all measured runs, default / signals (per s)': `${spread(runs.baseline)} / ${spread(runs.ours)}`,
        'conversions with geo_mismatch fired': String(fired[0].n),
      },
      checks: [
        check(
          'every postback made a conversion, and every conversion was scored',
          outcomes.every((o) => o.outcome === 'accepted') && scored.reduce((n, c) => n + c.n, 0) === outcomes.reduce((n, o) => n + o.n, 0),
          `outcomes ${JSON.stringify(outcomes)}; scored ${JSON.stringify(scored)}`,
        ),
        ...runs.ours.map((r, i) => allAnswered(`measured run ${i + 1} (signals)`, r, 200)),
        ...runs.baseline.map((r, i) => allAnswered(`measured run ${i + 1} (default)`, r, 200)),
      ],
      loadAverage,
    };
  } finally {
    await pw.proc.stop('SIGKILL');
    rmSync(pw.dataDir, { recursive: true, force: true });
    rmSync(scratch, { recursive: true, force: true });
    await receiver.close();
    await db.drop();
    await deleteRedisPrefix(prefix);
  }
}
