import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createDatabase, deleteRedisPrefix, newQueuePrefix, pgQuery } from '../lib/infra';
import { countStatus, runLoad } from '../lib/load';
import { withEmbedded } from '../lib/pglite';
import { clickPath, setUpCampaigns, startEmbedded, startPostwire } from '../lib/postwire';
import { freePort, ServerProcess } from '../lib/proc';
import { Receiver } from '../../test/support/receiver';
import type { ScenarioResult } from '../lib/result-types';
import { allAnswered, alternate, BASELINES, type BenchContext, check, firstBoot, load1, measurement, median, ratio, spread, timed } from './context';

/** Writes `count` clicks straight into PostgreSQL (the postback scenario measures postbacks, not clicks) and their ids to a file. */
export async function precreateClicks(dbUrl: string, campaignId: string, count: number, file: string): Promise<void> {
  const tag = randomBytes(4).toString('hex');
  const ids = Array.from({ length: count }, (_, i) => `bench${tag}${String(i).padStart(17, '0')}`);
  for (let i = 0; i < ids.length; i += 50_000) {
    await pgQuery(dbUrl, `INSERT INTO clicks (id, campaign_id, external_id, sub1, created_at) SELECT unnest($1::text[]), $2, 'ext-1234567', 'banner', now()`, [
      ids.slice(i, i + 50_000),
      campaignId,
    ]);
  }
  writeFileSync(file, ids.join('\n') + '\n');
}

/**
 * Generic `/postback` with a fresh click and txid per request, so each one is a new conversion with
 * its delivery row, committed before the 200 — against a bare Fastify route doing one plain INSERT
 * per request into the same database. Afterwards the stored rows are counted against the 200s.
 */
export async function postbacksScenario(ctx: BenchContext, driver: 'postgres' | 'pglite'): Promise<ScenarioResult> {
  const embedded = driver === 'pglite';
  const id = embedded ? 'embedded-postbacks' : 'postbacks';
  const loadAverage = load1();
  const connections = ctx.connections;
  const limit = ctx.warmupSec + ctx.measureSec * 3 + 60;
  const db = embedded ? undefined : await createDatabase();
  const prefix = newQueuePrefix();
  const receiver = await Receiver.start({ keepRequests: false });
  const scratch = mkdtempSync(join(ctx.tmp, `${id}-`));
  const txid = randomBytes(3).toString('hex');
  let base: ServerProcess | undefined;
  try {
    // Baseline: same database server (or its own PGlite), same request shape.
    const basePort = await freePort();
    base = await ServerProcess.start({
      name: 'fastify insert',
      script: join(BASELINES, 'fastify-insert.js'),
      env: { PORT: String(basePort), ...(db ? { DATABASE_URL: db.url } : { PGLITE_DIR: join(scratch, 'baseline-pglite') }) },
      ready: { line: 'ready' },
    });
    const baseProc = base;
    const baseUrl = `http://127.0.0.1:${basePort}`;
    const pw = embedded
      ? await startEmbedded({ queuePrefix: prefix, cpuProfDir: ctx.cpuProfDir })
      : await startPostwire({ entry: 'tracker', databaseUrl: db?.url, queuePrefix: prefix, cpuProfDir: ctx.cpuProfDir });
    try {
      const campaign = (await setUpCampaigns(pw.url, receiver.url, 1)).campaignIds[0];
      const ids = join(scratch, 'click-ids.txt');
      // Enough clicks for the warm-up and the measured runs at well above the expected rate.
      const pool = embedded ? (ctx.quick ? 8000 : 20_000) : ctx.quick ? 60_000 : 150_000;
      if (embedded) {
        // PGlite is one process's file: its clicks are made through the click path itself.
        const prep = await runLoad(
          { kind: 'static', url: pw.url, path: clickPath(campaign), connections, amount: pool, collectClickIds: true, clickIdsOut: ids },
          limit,
        );
        if (countStatus(prep, 302) !== pool) throw new Error(`click preparation answered ${JSON.stringify(prep.statusCounts)}`);
      } else {
        await precreateClicks(db!.url, campaign, pool, ids);
      }
      ctx.log(`${id}: warm-up (${pool} clicks ready)`);
      const synthetic = { synthetic: `base${txid}-` };
      const baseWarm = await runLoad(
        {
          kind: 'postbacks',
          url: baseUrl,
          pathPrefix: '/postback',
          clickIds: synthetic,
          offset: 0,
          txidPrefix: `w${txid}`,
          connections,
          durationSec: ctx.warmupSec,
        },
        limit,
      );
      const warm = await runLoad(
        {
          kind: 'postbacks',
          url: pw.url,
          pathPrefix: '/postback',
          clickIds: { file: ids },
          offset: 0,
          txidPrefix: `w${txid}`,
          connections,
          durationSec: ctx.warmupSec,
        },
        limit,
      );
      let baseOffset = baseWarm.nextOffset;
      let offset = warm.nextOffset;
      const runs = await alternate(
        ctx.rounds,
        async () => {
          const r = await timed(
            baseProc,
            () =>
              runLoad(
                {
                  kind: 'postbacks',
                  url: baseUrl,
                  pathPrefix: '/postback',
                  clickIds: synthetic,
                  offset: baseOffset,
                  txidPrefix: `m${txid}`,
                  connections,
                  amount: Math.max(500, Math.round(baseWarm.rps * ctx.measureSec)),
                },
                limit,
              ),
            db && { dbUrl: db.url, who: 'baseline' },
          );
          baseOffset = r.nextOffset;
          return r;
        },
        async (round) => {
          const left = pool - offset - connections * 2;
          const amount = Math.min(Math.floor(left / (ctx.rounds - round)), Math.max(500, Math.round(warm.rps * ctx.measureSec)));
          const r = await timed(
            pw.proc,
            () =>
              runLoad(
                { kind: 'postbacks', url: pw.url, pathPrefix: '/postback', clickIds: { file: ids }, offset, txidPrefix: `m${txid}`, connections, amount },
                limit,
              ),
            db && { dbUrl: db.url, who: 'postwire' },
          );
          offset = r.nextOffset;
          return r;
        },
      );
      const load = median(runs.ours);
      const baseline = measurement(embedded ? 'bare Fastify, one INSERT into PGlite' : 'bare Fastify, one INSERT', median(runs.baseline), baseProc.peakRssMb());
      ctx.log(`${id}: baseline ${spread(runs.baseline)}/s, Postwire ${spread(runs.ours)}/s (p99 ${load.latencyMs.p99} ms)`);
      const peakRssMb = pw.proc.peakRssMb();
      const accepted200 = runs.ours.reduce((n, r) => n + countStatus(r, 200), 0);
      // The measured run's rows, told apart by their txids (the warm-up ran by duration, so
      // requests still in flight when it stopped were stored without being counted as answered).
      const measured = `m${txid}-%`;
      const sql = {
        conversions: `SELECT count(*)::int AS n FROM conversions WHERE txid LIKE '${measured}'`,
        deliveries: `SELECT count(*)::int AS n FROM deliveries d JOIN conversions c ON c.id = d.conversion_id WHERE c.txid LIKE '${measured}'`,
        accepted: `SELECT count(*)::int AS n FROM postbacks WHERE outcome = 'accepted' AND canonical->>'txid' LIKE '${measured}'`,
        other: `SELECT count(*)::int AS n FROM postbacks WHERE outcome <> 'accepted'`,
      };
      type Counts = Record<keyof typeof sql, number>;
      let counts: Counts;
      // Stopped gracefully (and with --profile, so the profile is written) before counting.
      await pw.proc.stop('SIGTERM');
      if (embedded) {
        counts = await withEmbedded(pw.dataDir, async (q) => {
          const out = {} as Counts;
          for (const [k, text] of Object.entries(sql)) out[k as keyof Counts] = (await q<{ n: number }>(text))[0].n;
          return out;
        });
      } else {
        counts = {} as Counts;
        for (const [k, text] of Object.entries(sql)) counts[k as keyof Counts] = (await pgQuery<{ n: number }>(db!.url, text))[0].n;
      }
      const ours = measurement('Postwire', load, peakRssMb);
      return {
        id,
        title: embedded
          ? 'Embedded (PGlite) postbacks: generic /postback, new conversion + delivery each'
          : 'Postbacks: generic /postback, new conversion + delivery each (PostgreSQL)',
        unit: 'postbacks/s',
        connections,
        ours,
        baseline,
        ratio: ratio(ours.rps, baseline.rps),
        extra: {
          'all measured runs, baseline / Postwire (per s)': `${spread(runs.baseline)} / ${spread(runs.ours)}`,
          'measured runs: conversions / deliveries / 200s': `${counts.conversions} / ${counts.deliveries} / ${accepted200}`,
          ...firstBoot(pw.firstBootPeakRssMb),
        },
        checks: [
          allAnswered('warm-up', warm, 200),
          ...runs.ours.map((r, i) => allAnswered(`measured run ${i + 1}`, r, 200)),
          check(
            'measured runs: one conversion, one delivery and one accepted log line per 200; no postback anywhere refused',
            counts.conversions === accepted200 && counts.deliveries === accepted200 && counts.accepted === accepted200 && counts.other === 0,
            `${accepted200} answered 200; ${counts.conversions} conversions, ${counts.deliveries} deliveries, ${counts.accepted} accepted, ${counts.other} other outcomes`,
          ),
        ],
        loadAverage,
      };
    } finally {
      await pw.proc.stop('SIGKILL');
      rmSync(pw.dataDir, { recursive: true, force: true });
    }
  } finally {
    await base?.stop();
    await receiver.close();
    await db?.drop();
    await deleteRedisPrefix(prefix);
    rmSync(scratch, { recursive: true, force: true });
  }
}
