import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GrowthFile, GrowthResult, SoakResult } from './growth-types';
import type { Machine } from './machine';
import type { Measurement } from './result-types';

const fmt = (n: number) => n.toLocaleString('en-US');
const us = (n?: number) => (n === undefined ? '–' : `${n} µs`);

/**
 * Adds one run (growth or soak) to bench/results/growth.json, keeping the other part from its own
 * earlier run, and renders growth.md from the whole file.
 */
export function saveGrowthResults(dir: string, machine: Machine, part: { growth?: GrowthResult; soak?: SoakResult }): string {
  mkdirSync(dir, { recursive: true });
  const jsonPath = join(dir, 'growth.json');
  const previous: GrowthFile & { machine?: Machine } = existsSync(jsonPath) ? (JSON.parse(readFileSync(jsonPath, 'utf8')) as GrowthFile) : {};
  const file: GrowthFile & { machine: Machine } = { ...previous, ...part, machine };
  const before = previous.growth;
  if (part.growth?.reused && before && before.database === part.growth.database)
    file.growth = {
      ...part.growth,
      steps: [...before.steps, ...part.growth.steps],
      checks: [...before.checks, ...part.growth.checks],
      notes: [...before.notes, ...part.growth.notes],
    };
  writeFileSync(jsonPath, JSON.stringify(file, null, 2) + '\n');
  const markdown = growthMarkdown(file);
  writeFileSync(join(dir, 'growth.md'), markdown);
  return markdown;
}

function measured(m: Measurement): string {
  return `${fmt(m.rps)}/s | ${m.p50Ms} / ${m.p99Ms} ms | ${us(m.cpuUsPerRequest)} | ${us(m.pgCpuUsPerRequest)}`;
}

export function growthMarkdown(file: GrowthFile & { machine: Machine }): string {
  const m = file.machine;
  const lines = [
    '# How cost grows',
    '',
    'Produced by `npm run bench -- --only=growth` and `npm run bench -- --only=soak`; method and reading in bench/NOTES.md ("How cost grows").',
    '',
    `Machine: ${m.cpuModel}, ${m.cores} cores, ${m.memoryGb} GB, Node ${m.node}, PostgreSQL ${m.postgres}, Redis ${m.redis}.`,
    '',
  ];
  const g = file.growth;
  if (g) {
    lines.push(
      '## Clicks and postbacks with data already stored',
      '',
      `Run ${g.startedAt}, build \`${g.build}\`, database \`${g.database}\`, ${g.connections} connections; each figure is the median of the measured runs, as in the clicks and postbacks scenarios.`,
      '',
      '| Build | Clicks stored | Conversions stored | Database | Clicks/s | Clicks p50 / p99 | Tracker CPU per click | PostgreSQL CPU per click | Postbacks/s | Postbacks p50 / p99 | Tracker CPU per postback | PostgreSQL CPU per postback | Load average |',
      '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    );
    for (const s of g.steps)
      lines.push(
        `| ${s.build ?? g.build} | ${fmt(s.storedClicks)} | ${fmt(s.storedConversions)} | ${fmt(s.databaseMb)} MB | ${measured(s.clicks)} | ${measured(s.postbacks)} | ${s.loadAverage} |`,
      );
    const timed = g.steps.filter((s) => s.reports);
    if (timed.length) {
      lines.push(
        '',
        '### Reports over the stored history (sequential requests, ms)',
        '',
        '| Build | Clicks stored | groupBy=day,campaign, 30 days: p50 / p95 | groupBy=sub1, one campaign, 7 days: p50 / p95 |',
        '|---|---:|---:|---:|',
      );
      for (const s of timed)
        lines.push(
          `| ${s.build} | ${fmt(s.storedClicks)} | ${s.reports!.dayCampaignP50Ms} / ${s.reports!.dayCampaignP95Ms} | ${s.reports!.sub1P50Ms} / ${s.reports!.sub1P95Ms} |`,
        );
    }
    lines.push('', '### Sizes on disk at each step (table / indexes, MB)', '');
    const names = [...new Set(g.steps.flatMap((s) => s.relations.map((r) => r.name)))];
    lines.push(`| Relation | ${g.steps.map((s) => `${fmt(s.storedClicks)} clicks`).join(' | ')} |`, `|---|${g.steps.map(() => '---:').join('|')}|`);
    for (const name of names)
      lines.push(
        `| ${name} | ${g.steps
          .map((s) => {
            const r = s.relations.find((x) => x.name === name);
            return r ? `${fmt(r.tableMb)} / ${fmt(r.indexMb)}` : '–';
          })
          .join(' | ')} |`,
      );
    const populated = g.steps.filter((s) => s.populateSec > 0).map((s) => `${fmt(s.storedClicks)} in ${fmt(s.populateSec)} s`);
    if (populated.length) lines.push('', `Populated (clicks, conversions, rollups, VACUUM ANALYZE) up to: ${populated.join('; ')}.`);
    for (const n of g.notes) lines.push('', `**Note:** ${n}`);
    lines.push('', '### Checks', '');
    for (const c of g.checks) lines.push(`- ${c.pass ? 'pass' : '**FAIL**'}: ${c.name} — ${c.detail}`);
    lines.push('');
  }
  const soak = file.soak;
  if (soak) {
    lines.push(
      '## Soak: tracker + worker under steady load',
      '',
      `Run ${soak.startedAt}, build \`${soak.build}\`: ${soak.minutes} min at ${soak.clicksPerSec} clicks/s and ${soak.postbacksPerSec} postbacks/s (each forwarded to a local receiver), PostgreSQL + Redis.`,
      '',
    );
    for (const [who, verdict] of Object.entries(soak.verdict)) lines.push(`- ${who} RSS ${verdict}`);
    lines.push(
      '',
      '| Minute | Tracker RSS | Worker RSS | Database | Clicks p50 / p99 | Postbacks p99 | Tracker CPU in the minute | Worker CPU in the minute | Load average |',
      '|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    );
    const shown = new Set([1, 2, 5, 10, 15, 20, 30, 40, 45, 50, 60, soak.minutes]);
    for (const s of soak.samples)
      if (shown.has(s.minute) || s.minute % 30 === 0)
        lines.push(
          `| ${s.minute} | ${s.trackerRssMb ?? '?'} MB | ${s.workerRssMb ?? '?'} MB | ${fmt(s.databaseMb)} MB | ${s.clicksP50Ms} / ${s.clicksP99Ms} ms | ${s.postbacksP99Ms} ms | ${s.trackerCpuSec ?? '?'} s | ${s.workerCpuSec ?? '?'} s | ${s.loadAverage} |`,
        );
    lines.push('', 'Every minute is in growth.json.', '', '### Checks', '');
    for (const c of soak.checks) lines.push(`- ${c.pass ? 'pass' : '**FAIL**'}: ${c.name} — ${c.detail}`);
    lines.push('');
  }
  return lines.join('\n');
}
