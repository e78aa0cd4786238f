import type { Machine } from './machine';
import type { ScenarioResult } from './result-types';

export interface Target {
  scenario: string;
  name: string;
  actual: string;
  pass: boolean;
}

export interface BenchReport {
  startedAt: string;
  mode: 'full' | 'quick';
  settings: { warmupSec: number; measureSec: number; rounds: number; connections: number };
  machine: Machine;
  scenarios: ScenarioResult[];
  targets: Target[];
  failures: string[];
}

const RSS_LIMIT_MB = 250;

/** The targets for this 2-core machine, judged on one run's numbers. */
export function judge(results: ScenarioResult[]): Target[] {
  const out: Target[] = [];
  const add = (r: ScenarioResult, name: string, actual: string, pass: boolean) => out.push({ scenario: r.id, name, actual, pass });
  for (const r of results) {
    if (r.id === 'clicks') {
      if (r.stretch) {
        add(r, 'clicks ≥ 0.8× bare Fastify group-committing the same row', `${r.ratio}×`, r.ratio >= 0.8);
        add(r, 'stretch: clicks ≥ 0.5× bare node:http 302', `${r.stretch.ratio}×`, r.stretch.ratio >= 0.5);
      } else add(r, 'clicks ≥ 0.5× bare node:http 302', `${r.ratio}×`, r.ratio >= 0.5);
      add(r, `p99 < 10 ms at ${r.connections} connections`, `${r.ours.p99Ms} ms`, r.ours.p99Ms < 10);
      const stored = r.checks.filter((c) => c.name.includes('stored'));
      add(r, 'zero clicks lost or doubled', stored.every((c) => c.pass) ? 'none' : 'see checks', stored.length > 0 && stored.every((c) => c.pass));
    }
    if (r.id === 'postbacks') {
      add(r, 'postbacks ≥ 1.0× one-INSERT baseline', `${r.ratio}×`, r.ratio >= 1.0);
      add(r, `p99 < 50 ms at ${r.connections} connections`, `${r.ours.p99Ms} ms`, r.ours.p99Ms < 50);
    }
    if (r.id === 'forwarding') {
      add(r, 'forwarding ≥ 0.7× raw BullMQ worker sending the same request', `${r.ratio}×`, r.ratio >= 0.7);
      add(r, 'end-to-end p50 < 25 ms', `${r.ours.p50Ms} ms`, r.ours.p50Ms < 25);
      const twice = r.checks.find((c) => c.name.startsWith('no delivery made twice'));
      add(r, 'no delivery made twice (Idempotency-Key log)', twice?.pass ? 'none' : 'see checks', twice?.pass === true);
    }
    if (r.id === 'click-enrichment') add(r, 'clicks with enrichment + rollups ≥ 0.9× without', `${r.ratio}×`, r.ratio >= 0.9);
    if (r.id === 'reports') {
      add(r, 'groupBy=day,campaign, 30 days: p95 < 300 ms', `${r.ours.p95Ms} ms`, (r.ours.p95Ms ?? Infinity) < 300);
      add(r, 'groupBy=sub1, one campaign, 7 days: p95 < 1 s', `${r.baseline.p95Ms} ms`, (r.baseline.p95Ms ?? Infinity) < 1000);
    }
    if (r.ours.peakRssMb !== undefined) add(r, `RSS < ${RSS_LIMIT_MB} MB`, `${r.ours.peakRssMb} MB`, r.ours.peakRssMb < RSS_LIMIT_MB);
  }
  return out;
}

const fmt = (n: number) => n.toLocaleString('en-US');
const cpu = (us?: number) => (us === undefined ? '–' : `${us} µs`);
/** Where a scenario talks to the PostgreSQL server (PGlite's work is in the app's own CPU). */
const pgCpu = (r: ScenarioResult) => (r.ours.pgCpuUsPerRequest === undefined ? '–' : `${cpu(r.ours.pgCpuUsPerRequest)} / ${cpu(r.baseline.pgCpuUsPerRequest)}`);
const mark = (pass: boolean) => (pass ? 'yes' : '**no**');

export function toMarkdown(report: BenchReport): string {
  const m = report.machine;
  const lines = [
    `# Postwire benchmark`,
    '',
    `Run ${report.startedAt}, ${report.mode} mode: ${report.settings.warmupSec} s warm-up per side, then ${report.settings.rounds} measured run(s) per side alternating baseline and Postwire, each a fixed number of requests sized to ~${report.settings.measureSec} s, ${report.settings.connections} connections; the median run by throughput is reported. Load from autocannon in its own process. Produced by \`npm run bench${report.mode === 'quick' ? ' -- --quick' : ''}\`.`,
    '',
    '| Machine | |',
    '|---|---|',
    `| CPU | ${m.cpuModel}, ${m.cores} cores |`,
    `| Memory | ${m.memoryGb} GB |`,
    `| OS | ${m.os} |`,
    `| Node.js | ${m.node} |`,
    `| PostgreSQL | ${m.postgres} |`,
    `| Redis | ${m.redis} |`,
    `| Load average at start | ${m.loadAverageAtStart.join(' ')} |`,
    '',
    '## Results',
    '',
    '| Scenario | Postwire | Baseline | Ratio | Postwire p50 / p99 | Baseline p50 / p99 | Server CPU per request Postwire / baseline | PostgreSQL backend CPU per request Postwire / baseline | Peak RSS Postwire / baseline |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of report.scenarios) {
    const lat = (p50: number, p99: number) => (p50 || p99 ? `${p50} / ${p99} ms` : '–');
    const ourLat = r.id === 'forwarding' ? `${r.ours.p50Ms} / ${r.ours.p99Ms} ms (end to end)` : lat(r.ours.p50Ms, r.ours.p99Ms);
    lines.push(
      `| ${r.title} | ${fmt(r.ours.rps)} ${r.unit} | ${fmt(r.baseline.rps)} (${r.baseline.label}) | ${r.ratio}× | ${ourLat} | ${lat(r.baseline.p50Ms, r.baseline.p99Ms)} | ${cpu(r.ours.cpuUsPerRequest)} / ${cpu(r.baseline.cpuUsPerRequest)} | ${pgCpu(r)} | ${r.ours.peakRssMb ?? '?'} / ${r.baseline.peakRssMb ?? '?'} MB |`,
    );
  }
  lines.push('', '## Targets (2-core machine)', '', '| Scenario | Target | Actual | Met |', '|---|---|---|---|');
  for (const t of report.targets) lines.push(`| ${t.scenario} | ${t.name} | ${t.actual} | ${mark(t.pass)} |`);
  lines.push('', '## Checks', '');
  for (const r of report.scenarios) {
    lines.push(`**${r.id}** (load average ${r.loadAverage} at start)`, '');
    for (const [k, v] of Object.entries(r.extra)) lines.push(`- ${k}: ${v}`);
    for (const c of r.checks) lines.push(`- ${c.pass ? 'pass' : '**FAIL**'}: ${c.name} — ${c.detail}`);
    lines.push('');
  }
  if (report.failures.length) {
    lines.push('## Scenarios that did not finish', '');
    for (const f of report.failures) lines.push('```', f, '```', '');
  }
  lines.push('See bench/NOTES.md for what limits each number and what each optimisation bought.', '');
  return lines.join('\n');
}
