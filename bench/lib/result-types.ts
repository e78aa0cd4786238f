export interface Measurement {
  label: string;
  rps: number;
  completed: number;
  p50Ms: number;
  p99Ms: number;
  /** Only where a target is a p95 (the report scenario). */
  p95Ms?: number;
  statusCounts: Record<string, number>;
  errors: number;
  peakRssMb?: number;
  /** CPU time (user + system) the server process used per request in the measured run, in µs. */
  cpuUsPerRequest?: number;
  /** CPU time the PostgreSQL backends serving this side used per request in the same run, in µs. */
  pgCpuUsPerRequest?: number;
}

export interface Check {
  name: string;
  pass: boolean;
  detail: string;
}

export interface ScenarioResult {
  id: string;
  title: string;
  unit: string;
  connections: number;
  ours: Measurement;
  baseline: Measurement;
  ratio: number;
  /** A second, harder baseline the ratio is also shown against (clicks: bare node:http beside the durable baseline). */
  stretch?: Measurement & { ratio: number };
  /** Extra numbers worth printing (e.g. end-to-end latency); already formatted. */
  extra: Record<string, string>;
  checks: Check[];
  loadAverage: number;
}
