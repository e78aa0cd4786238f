import { loadavg } from 'node:os';
import { join } from 'node:path';
import { countStatus } from '../lib/load';
import type { LoadResult } from '../lib/load-types';
import { backendPids } from '../lib/infra';
import { cpuSecondsOf, type ServerProcess } from '../lib/proc';
import type { Check, Measurement } from '../lib/result-types';

export interface BenchContext {
  quick: boolean;
  /** Measured runs per side, alternating baseline and Postwire; the median by throughput is reported. */
  rounds: number;
  warmupSec: number;
  measureSec: number;
  connections: number;
  /** Scratch directory for id files and embedded databases. */
  tmp: string;
  /** Set with --profile: Postwire runs under `node --cpu-prof` writing here. */
  cpuProfDir?: string;
  log(message: string): void;
}

export const BASELINES = join(__dirname, '..', 'baselines');

/**
 * Runs a load and notes how much CPU the server process spent on it, and, given its database,
 * how much the PostgreSQL backends serving it spent (backends only: the WAL writer and checkpointer
 * work for everyone on the server and are left out).
 */
export async function timed(proc: ServerProcess, run: () => Promise<LoadResult>, pg?: { dbUrl: string; who: 'postwire' | 'baseline' }): Promise<TimedLoad> {
  const before = proc.cpuSeconds();
  const backendsBefore = new Map<number, number>();
  if (pg) for (const pid of await backendPids(pg.dbUrl, pg.who)) backendsBefore.set(pid, cpuSecondsOf(pid) ?? 0);
  const load = await run();
  const after = proc.cpuSeconds();
  let pgSeconds: number | undefined;
  if (pg) {
    pgSeconds = 0;
    // Backends that appeared during the run count from zero; ones that ended during it are lost (pools keep theirs).
    for (const pid of new Set([...backendsBefore.keys(), ...(await backendPids(pg.dbUrl, pg.who))])) {
      const now = cpuSecondsOf(pid);
      if (now !== undefined) pgSeconds += now - (backendsBefore.get(pid) ?? 0);
    }
  }
  const perRequest = (seconds?: number) => (seconds !== undefined && load.completed ? Math.round((seconds * 1e6) / load.completed) : undefined);
  return {
    ...load,
    cpuUsPerRequest: perRequest(before !== undefined && after !== undefined ? after - before : undefined),
    pgCpuUsPerRequest: perRequest(pgSeconds),
  };
}

export function measurement(label: string, load: TimedLoad, peakRssMb?: number): Measurement {
  return {
    cpuUsPerRequest: load.cpuUsPerRequest,
    pgCpuUsPerRequest: load.pgCpuUsPerRequest,
    label,
    rps: Math.round(load.rps),
    completed: load.completed,
    p50Ms: load.latencyMs.p50,
    p99Ms: load.latencyMs.p99,
    statusCounts: load.statusCounts,
    errors: load.errors,
    peakRssMb,
  };
}

export function check(name: string, pass: boolean, detail: string): Check {
  return { name, pass, detail };
}

/** Every request of a load answered with the expected status, no socket errors or timeouts. */
export function allAnswered(what: string, load: LoadResult, status: number): Check {
  const ok = countStatus(load, status);
  return check(
    `${what}: every request answered ${status}`,
    ok === load.completed && load.errors === 0,
    `${ok} of ${load.completed} answered ${status}; statuses ${JSON.stringify(load.statusCounts)}; ${load.errors} errors, ${load.timeouts} timeouts`,
  );
}

export const load1 = () => Math.round(loadavg()[0] * 100) / 100;

export const ratio = (ours: number, baseline: number) => (baseline > 0 ? Math.round((ours / baseline) * 100) / 100 : 0);

/** The embedded first boot's memory (PGlite's initdb), reported beside the steady figure. */
export function firstBoot(peakRssMb: number | undefined): Record<string, string> {
  return peakRssMb === undefined ? {} : { 'peak RSS of the first boot (creates the embedded database), not part of the run': `${peakRssMb} MB` };
}

export type TimedLoad = LoadResult & { cpuUsPerRequest?: number; pgCpuUsPerRequest?: number };

/**
 * Measured runs alternating baseline and Postwire, `rounds` times each, so a disturbance from
 * elsewhere on the machine hits both sides rather than one.
 */
export async function alternate(
  rounds: number,
  baseline: (round: number) => Promise<TimedLoad>,
  ours: (round: number) => Promise<TimedLoad>,
): Promise<{ baseline: TimedLoad[]; ours: TimedLoad[] }> {
  const out = { baseline: [] as TimedLoad[], ours: [] as TimedLoad[] };
  for (let round = 0; round < rounds; round++) {
    out.baseline.push(await baseline(round));
    out.ours.push(await ours(round));
  }
  return out;
}

/** The run with the median throughput (the lower middle one for an even count). */
export function median(runs: TimedLoad[]): TimedLoad {
  const sorted = [...runs].sort((a, b) => a.rps - b.rps);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

export function spread(runs: TimedLoad[]): string {
  return runs.map((r) => Math.round(r.rps)).join(', ');
}
