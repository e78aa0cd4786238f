import type { Check, Measurement } from './result-types';

/** One relation's size on disk at a step of the growth run. */
export interface RelationSize {
  name: string;
  tableMb: number;
  indexMb: number;
}

/** The click and postback paths measured with a given number of clicks already stored. */
export interface GrowthStep {
  /** The build measured (BENCH_DIST), so re-runs of other builds on the same data sit side by side. */
  build: string;
  storedClicks: number;
  storedConversions: number;
  /** Seconds spent adding this step's stored clicks (0 when the database was reused as it was). */
  populateSec: number;
  databaseMb: number;
  relations: RelationSize[];
  clicks: Measurement;
  postbacks: Measurement;
  /** Sequential report requests over the stored history (ms): the rollup report and the raw-clicks one. */
  reports?: { dayCampaignP50Ms: number; dayCampaignP95Ms: number; sub1P50Ms: number; sub1P95Ms: number };
  /** 1-minute load average just before this step's measured runs. */
  loadAverage: number;
}

export interface GrowthResult {
  startedAt: string;
  database: string;
  build: string;
  /** Measured the kept database as it was (BENCH_GROWTH_REUSE=1): its step is added to the earlier run's. */
  reused: boolean;
  connections: number;
  steps: GrowthStep[];
  checks: Check[];
  /** Why the run stopped short of a step, if it did (e.g. not enough disk). */
  notes: string[];
}

/** One minute of the soak: memory of each process, database size and that minute's load. */
export interface SoakSample {
  minute: number;
  trackerRssMb?: number;
  workerRssMb?: number;
  databaseMb: number;
  clicks: number;
  clicksP50Ms: number;
  clicksP99Ms: number;
  postbacks: number;
  postbacksP99Ms: number;
  /** CPU seconds the tracker and the worker used in this minute. */
  trackerCpuSec?: number;
  workerCpuSec?: number;
  loadAverage: number;
}

export interface SoakResult {
  startedAt: string;
  build: string;
  minutes: number;
  clicksPerSec: number;
  postbacksPerSec: number;
  samples: SoakSample[];
  /** Per process: did its RSS keep rising over the second half of the run. */
  verdict: Record<string, string>;
  checks: Check[];
}

/** What bench/results/growth.json holds: the last growth run and the last soak, each written by its own command. */
export interface GrowthFile {
  growth?: GrowthResult;
  soak?: SoakResult;
}
