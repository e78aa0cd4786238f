import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Check } from './result-types';
import type { Machine } from './machine';
import type { ClicksUnderReports, ShapeTiming } from '../scenarios/report-shapes';

export interface ReportShapesFile {
  machine?: Machine;
  /** Every measured (build, size, shape), the newest replacing an older one of the same three. */
  timings: ShapeTiming[];
  checks: Check[];
  /** Click latency alone and beside report loops, per (build, size). */
  underLoad?: ClicksUnderReports[];
}

const key = (t: ShapeTiming) => `${t.build}|${t.clicks}|${t.shape}`;
const fmt = (n: number) => n.toLocaleString('en-US');
const ms = (n?: number) => (n === undefined ? '–' : `${fmt(n)} ms`);

/** Adds this run's timings to bench/results/report-shapes.json and renders report-shapes.md from the whole file. */
export function saveReportShapes(dir: string, machine: Machine, timings: ShapeTiming[], checks: Check[], under?: ClicksUnderReports): string {
  mkdirSync(dir, { recursive: true });
  const jsonPath = join(dir, 'report-shapes.json');
  const previous: ReportShapesFile = existsSync(jsonPath) ? (JSON.parse(readFileSync(jsonPath, 'utf8')) as ReportShapesFile) : { timings: [], checks: [] };
  const replaced = new Set(timings.map(key));
  const checkNames = new Set(checks.map((c) => c.name));
  const file: ReportShapesFile = {
    machine,
    timings: [...previous.timings.filter((t) => !replaced.has(key(t))), ...timings],
    checks: [...previous.checks.filter((c) => !checkNames.has(c.name)), ...checks],
    underLoad: [
      ...(previous.underLoad ?? []).filter((u) => !under || `${u.build}|${u.clicks}` !== `${under.build}|${under.clicks}`),
      ...(under ? [under] : []),
    ],
  };
  writeFileSync(jsonPath, JSON.stringify(file, null, 2) + '\n');
  const markdown = reportShapesMarkdown(file);
  writeFileSync(join(dir, 'report-shapes.md'), markdown);
  return markdown;
}

export function reportShapesMarkdown(file: ReportShapesFile): string {
  const m = file.machine;
  const lines = [
    '# Report shapes over a big database (issue 22)',
    '',
    'Written by `npm run bench -- --only=report-shapes` (see bench/NOTES.md#report-shapes). Each shape is asked of a',
    'fresh tracker (heap capped at 2 GB) one request at a time: one unmeasured request, then up to the',
    "configured number, fewer when a shape is slow; p50/p95 over the measured ones. Peak RSS is the tracker's VmHWM.",
    '',
    m ? `Machine: ${m.cpuModel}, ${m.cores} cores, ${m.memoryGb} GB, Node ${m.node}, PostgreSQL ${m.postgres}.` : '',
    '',
    '| Build | Clicks | Shape | Requests | p50 | p95 | Rows | Statuses | Peak RSS | Load | Stopped |',
    '|---|---:|---|---:|---:|---:|---:|---|---:|---:|---|',
    ...[...file.timings]
      .sort((a, b) => a.at.localeCompare(b.at))
      .map(
        (t) =>
          `| ${t.build} | ${fmt(t.clicks)} | ${t.shape} | ${t.requests} | ${ms(t.p50Ms)} | ${ms(t.p95Ms)} | ${t.rows === undefined ? '–' : fmt(t.rows)} | ` +
          `${Object.entries(t.statuses)
            .map(([k, v]) => `${k}×${v}`)
            .join(' ')} | ${t.peakRssMb ?? '–'} MB | ${t.loadAverage} | ${t.stopped ?? ''} |`,
      ),
    '',
    '## Click latency beside report loops',
    '',
    'The same tracker, clicks by autocannon (20 connections, 10 s) alone and with report loops asking again as soon as answered, alternating, two rounds.',
    '',
    '| Build | Clicks stored | Alone: clicks/s, p50 / p99 | With report loops: clicks/s, p50 / p99 | Reports answered | Load |',
    '|---|---:|---|---|---|---:|',
    ...(file.underLoad ?? []).map(
      (u) =>
        `| ${u.build} | ${fmt(u.clicks)} | ${u.alone.map((r) => `${fmt(r.rps)}/s, ${r.p50} / ${r.p99} ms`).join('; ')} | ` +
        `${u.withReports.map((r) => `${fmt(r.rps)}/s, ${r.p50} / ${r.p99} ms`).join('; ')} | ${u.reportLoops} × ${u.reportShape}: ${JSON.stringify(u.reportsAnswered)} | ${u.loadAverage} |`,
    ),
    '',
    '## Checks',
    '',
    ...file.checks.map((c) => `- ${c.pass ? 'PASS' : 'FAIL'} ${c.name}: ${c.detail}`),
    '',
  ];
  return lines.join('\n');
}
