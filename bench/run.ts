/**
 * `npm run bench [-- --quick] [-- --only=clicks,postbacks,forwarding,embedded,enrichment,fraud,fraud-postbacks,reports] [-- --profile]`
 * `npm run bench -- --only=growth` (BENCH_GROWTH_DB, BENCH_GROWTH_STEPS, BENCH_GROWTH_REUSE=1) and
 * `npm run bench -- --only=soak [--minutes=60]`: opt-in, long; they write bench/results/growth.{json,md}.
 *
 * Runs each scenario's Postwire path and its bare baseline in the same run on this machine, with
 * load from a separate autocannon process, and writes bench/results/<latest|quick|partial>.{json,md}.
 * Needs only what `npm ci` installs, a built tree, PostgreSQL (BENCH_DATABASE_URL or TEST_DATABASE_URL,
 * default postgres://postgres@127.0.0.1:5432/postgres) and Redis (BENCH_REDIS_URL, default 127.0.0.1:6379).
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeMachine } from './lib/machine';
import { ROOT } from './lib/postwire';
import { judge, toMarkdown, type BenchReport } from './lib/report';
import type { ScenarioResult } from './lib/result-types';
import { clicksScenario } from './scenarios/clicks';
import { enrichmentScenario } from './scenarios/enrichment';
import { fraudScenario } from './scenarios/fraud';
import { fraudPostbacksScenario } from './scenarios/fraud-postbacks';
import { fraudVelocityScenario } from './scenarios/fraud-velocity';
import { reportsScenario } from './scenarios/reports';
import type { BenchContext } from './scenarios/context';
import { forwardingScenario } from './scenarios/forwarding';
import { postbacksScenario } from './scenarios/postbacks';
import { growthScenario } from './scenarios/growth';
import { soakScenario } from './scenarios/soak';
import { reportShapesScenario } from './scenarios/report-shapes';
import { saveReportShapes } from './lib/report-shapes-report';
import { saveGrowthResults } from './lib/growth-report';
import type { GrowthFile, GrowthResult } from './lib/growth-types';

const SCENARIOS = ['clicks', 'postbacks', 'forwarding', 'embedded', 'enrichment', 'fraud', 'fraud-postbacks', 'reports'] as const;
/** Long runs, only when named in --only; they write bench/results/growth.{json,md} instead of latest/partial. */
const OPT_IN = ['growth', 'soak', 'report-shapes'] as const;
type Scenario = (typeof SCENARIOS)[number] | (typeof OPT_IN)[number];

function parseArgs(argv: string[]): { quick: boolean; profile: boolean; only: Scenario[]; minutes: number } {
  const quick = argv.includes('--quick');
  const profile = argv.includes('--profile');
  const onlyArg = argv.find((a) => a.startsWith('--only='));
  const only = onlyArg ? (onlyArg.slice('--only='.length).split(',') as Scenario[]) : [...SCENARIOS];
  const known: readonly string[] = [...SCENARIOS, ...OPT_IN];
  const unknown = only.filter((s) => !known.includes(s));
  if (unknown.length) throw new Error(`unknown scenario ${unknown.join(', ')}; choose from ${known.join(', ')}`);
  const minutes = Number(argv.find((a) => a.startsWith('--minutes='))?.slice('--minutes='.length) ?? process.env.BENCH_SOAK_MINUTES ?? 60);
  if (!(minutes >= 1)) throw new Error('--minutes must be a whole number of minutes, at least 1');
  return { quick, profile, only, minutes: Math.round(minutes) };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const started = new Date();
  const tmp = mkdtempSync(join(tmpdir(), 'postwire-bench-'));
  const resultsDir = join(ROOT, 'bench', 'results');
  const cpuProfDir = args.profile ? join(resultsDir, 'profiles') : undefined;
  if (cpuProfDir) mkdirSync(cpuProfDir, { recursive: true });
  const ctx: BenchContext = {
    quick: args.quick,
    rounds: args.quick ? 1 : 3,
    warmupSec: args.quick ? 2 : 5,
    measureSec: args.quick ? 5 : 10,
    connections: 50,
    tmp,
    cpuProfDir,
    log: (message) => process.stdout.write(`[bench ${((Date.now() - started.getTime()) / 1000).toFixed(0).padStart(4)} s] ${message}\n`),
  };
  const machine = await describeMachine();
  ctx.log(`${machine.cpuModel}, ${machine.cores} cores, ${machine.memoryGb} GB, Node ${machine.node}, PostgreSQL ${machine.postgres}, Redis ${machine.redis}`);
  if (machine.loadAverageAtStart[0] > machine.cores * 0.5)
    ctx.log(`warning: load average ${machine.loadAverageAtStart[0]} before starting; numbers will be noisy`);

  const results: ScenarioResult[] = [];
  const failures: string[] = [];
  const attempt = async (name: string, run: () => Promise<ScenarioResult>) => {
    try {
      results.push(await run());
    } catch (error) {
      failures.push(`${name}: ${(error as Error).stack ?? String(error)}`);
      ctx.log(`${name} failed: ${(error as Error).message}`);
    }
  };
  try {
    if (args.only.includes('clicks')) await attempt('clicks', () => clicksScenario(ctx, 'postgres'));
    if (args.only.includes('postbacks')) await attempt('postbacks', () => postbacksScenario(ctx, 'postgres'));
    if (args.only.includes('forwarding')) await attempt('forwarding', () => forwardingScenario(ctx));
    if (args.only.includes('embedded')) {
      await attempt('embedded clicks', () => clicksScenario(ctx, 'pglite'));
      await attempt('embedded postbacks', () => postbacksScenario(ctx, 'pglite'));
    }
    if (args.only.includes('enrichment')) await attempt('click enrichment', () => enrichmentScenario(ctx));
    if (args.only.includes('fraud')) {
      await attempt('click fraud scoring', () => fraudScenario(ctx));
      await attempt('click fraud velocity', () => fraudVelocityScenario(ctx));
    }
    if (args.only.includes('fraud-postbacks')) await attempt('postback fraud signals', () => fraudPostbacksScenario(ctx));
    if (args.only.includes('reports')) await attempt('reports', () => reportsScenario(ctx));
    if (args.only.includes('growth')) {
      const reuse = process.env.BENCH_GROWTH_REUSE === '1';
      try {
        const options = {
          database: process.env.BENCH_GROWTH_DB ?? 'postwire_growth',
          // Reusing the kept database without named sizes measures it as it is.
          steps: (process.env.BENCH_GROWTH_STEPS ?? (reuse ? '' : args.quick ? '0,1000000' : '0,10000000,50000000')).split(',').filter(Boolean).map(Number),
          reuse,
        };
        // Each step's figures are written as soon as it is measured; a reused run's steps are added to the earlier ones once.
        const file = join(resultsDir, 'growth.json');
        const read = (): GrowthFile => (existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as GrowthFile) : {});
        const before = read().growth;
        const save = (growth: GrowthResult) => {
          // Against the growth part as it was before this run (the soak's part may have changed meanwhile).
          writeFileSync(file, JSON.stringify({ ...read(), growth: before }));
          return saveGrowthResults(resultsDir, machine, { growth });
        };
        const growth = await growthScenario(ctx, options, (soFar) => {
          save(soFar);
          ctx.log('growth: step saved to bench/results/growth.json and growth.md');
        });
        process.stdout.write('\n' + save(growth) + '\n');
        ctx.log('wrote bench/results/growth.json and growth.md');
        for (const c of growth.checks) if (!c.pass) failures.push(`growth: ${c.name}: ${c.detail}`);
      } catch (error) {
        failures.push(`growth: ${(error as Error).stack ?? String(error)}`);
        ctx.log(`growth failed: ${(error as Error).message}`);
      }
    }
    if (args.only.includes('report-shapes')) {
      try {
        const env = process.env;
        await reportShapesScenario(
          ctx,
          {
            database: env.BENCH_REPORTS_DB ?? 'postwire_reports',
            steps: (env.BENCH_REPORTS_STEPS ?? (args.quick ? '1000000' : '10000000')).split(',').filter(Boolean).map(Number),
            reuse: env.BENCH_REPORTS_REUSE === '1',
            dist: env.BENCH_SUB1_DIST === 'uniform' ? 'uniform' : 'zipf',
            only: env.BENCH_REPORT_SHAPES?.split(';').filter(Boolean),
            requests: Number(env.BENCH_REPORT_REQUESTS ?? (args.quick ? 3 : 10)),
            requestTimeoutMs: Number(env.BENCH_REPORT_TIMEOUT_MS ?? 120_000),
            shapeBudgetMs: Number(env.BENCH_REPORT_BUDGET_MS ?? 180_000),
            reportLoad: env.BENCH_REPORT_LOAD !== '0',
          },
          (timings, checks, under) => {
            saveReportShapes(resultsDir, machine, timings, checks, under);
            for (const c of checks) if (!c.pass && !failures.includes(c.name)) failures.push(c.name);
          },
        );
        ctx.log('wrote bench/results/report-shapes.json and report-shapes.md');
      } catch (error) {
        failures.push(`report-shapes: ${(error as Error).stack ?? String(error)}`);
        ctx.log(`report-shapes failed: ${(error as Error).message}`);
      }
    }
    if (args.only.includes('soak')) {
      try {
        const soak = await soakScenario(ctx, {
          minutes: args.minutes,
          clicksPerSec: Number(process.env.BENCH_SOAK_CLICKS_PER_SEC ?? 300),
          postbacksPerSec: Number(process.env.BENCH_SOAK_POSTBACKS_PER_SEC ?? 30),
        });
        process.stdout.write('\n' + saveGrowthResults(resultsDir, machine, { soak }) + '\n');
        ctx.log('wrote bench/results/growth.json and growth.md');
        for (const c of soak.checks) if (!c.pass) failures.push(`soak: ${c.name}: ${c.detail}`);
      } catch (error) {
        failures.push(`soak: ${(error as Error).stack ?? String(error)}`);
        ctx.log(`soak failed: ${(error as Error).message}`);
      }
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  if (args.only.every((s) => (OPT_IN as readonly string[]).includes(s))) {
    for (const f of failures) process.stderr.write(`${f}\n`);
    process.exitCode = failures.length ? 1 : 0;
    return;
  }

  const report: BenchReport = {
    startedAt: started.toISOString(),
    mode: args.quick ? 'quick' : 'full',
    settings: { warmupSec: ctx.warmupSec, measureSec: ctx.measureSec, rounds: ctx.rounds, connections: ctx.connections },
    machine,
    scenarios: results,
    targets: judge(results),
    failures,
  };
  const name = args.only.length < SCENARIOS.length ? 'partial' : args.quick ? 'quick' : 'latest';
  mkdirSync(resultsDir, { recursive: true });
  const markdown = toMarkdown(report);
  writeFileSync(join(resultsDir, `${name}.json`), JSON.stringify(report, null, 2) + '\n');
  writeFileSync(join(resultsDir, `${name}.md`), markdown);
  process.stdout.write('\n' + markdown + '\n');
  ctx.log(`wrote bench/results/${name}.json and ${name}.md`);
  const checksFailed = results.some((r) => r.checks.some((c) => !c.pass));
  // Missed performance targets are reported, not fatal; a lost click or a crashed scenario is.
  process.exitCode = failures.length || checksFailed ? 1 : 0;
}

main().catch((error: Error) => {
  process.stderr.write(`${error.stack ?? error.message}\n`);
  process.exit(1);
});
