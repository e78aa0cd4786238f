import type { Check, Measurement } from './result-types';

/** One relation's size on disk at a step of the growth run. */
export interface RelationSize {
  name: string;
  tableMb: number;
  indexMb: number;
}

/** The click and postback paths measured with a given number of clicks already stored. */
export interface GrowthStep {
  storedClicks: number;
  storedConversions: number;
  /** Seconds spent adding this step's stored clicks (0 when the database was reused as it was). */
  populateSec: number;
  databaseMb: number;
  relations: RelationSize[];
  clicks: Measurement;
  postbacks: Measurement;
  /** 1-minute load average just before this step's measured runs. */
  loadAverage: number;
}

export interface GrowthResult {
  startedAt: string;
  database: string;
  build: string;
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
