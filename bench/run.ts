/**
 * `npm run bench [-- --quick] [-- --only=clicks,postbacks,forwarding,embedded,enrichment,reports] [-- --profile]`
 *
 * Runs each scenario's Postwire path and its bare baseline in the same run on this machine, with
 * load from a separate autocannon process, and writes bench/results/<latest|quick|partial>.{json,md}.
 * Needs only what `npm ci` installs, a built tree, PostgreSQL (BENCH_DATABASE_URL or TEST_DATABASE_URL,
 * default postgres://postgres@127.0.0.1:5432/postgres) and Redis (BENCH_REDIS_URL, default 127.0.0.1:6379).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeMachine } from './lib/machine';
import { ROOT } from './lib/postwire';
import { judge, toMarkdown, type BenchReport } from './lib/report';
import type { ScenarioResult } from './lib/result-types';
import { clicksScenario } from './scenarios/clicks';
import { enrichmentScenario } from './scenarios/enrichment';
import { reportsScenario } from './scenarios/reports';
import type { BenchContext } from './scenarios/context';
import { forwardingScenario } from './scenarios/forwarding';
import { postbacksScenario } from './scenarios/postbacks';

const SCENARIOS = ['clicks', 'postbacks', 'forwarding', 'embedded', 'enrichment', 'reports'] as const;
type Scenario = (typeof SCENARIOS)[number];

function parseArgs(argv: string[]): { quick: boolean; profile: boolean; only: Scenario[] } {
  const quick = argv.includes('--quick');
  const profile = argv.includes('--profile');
  const onlyArg = argv.find((a) => a.startsWith('--only='));
  const only = onlyArg ? (onlyArg.slice('--only='.length).split(',') as Scenario[]) : [...SCENARIOS];
  const unknown = only.filter((s) => !SCENARIOS.includes(s));
  if (unknown.length) throw new Error(`unknown scenario ${unknown.join(', ')}; choose from ${SCENARIOS.join(', ')}`);
  return { quick, profile, only };
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
    if (args.only.includes('reports')) await attempt('reports', () => reportsScenario(ctx));
  } finally {
    rmSync(tmp, { recursive: true, force: true });
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
