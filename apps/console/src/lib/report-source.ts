import type { StatsReport } from './stats';

/** Seconds behind, rounded the way an operator reads it ("0.4 s", "12 s", "3 min"). */
export function formatLag(seconds: number): string {
  if (seconds < 10) return `${seconds.toFixed(1)} s`;
  if (seconds < 120) return `${Math.round(seconds)} s`;
  return `${Math.round(seconds / 60)} min`;
}

/**
 * What the report screen says about the database that answered: nothing for the primary (the usual
 * case), how far behind the read replica is when it answered (its figures miss what the primary took
 * meanwhile), and a warning when the replica is configured but down and the primary answered instead.
 */
export function reportSourceNote(database: StatsReport['database'] | undefined): { kind: 'warning' | 'replica'; text: string; detail?: string } | null {
  if (!database) return null;
  if (database.warning) return { kind: 'warning', text: 'Read replica down: read from the primary', detail: database.warning };
  if (database.source !== 'replica') return null;
  const lag = database.replicaLagSeconds === undefined ? '' : `, ${formatLag(database.replicaLagSeconds)} behind`;
  return { kind: 'replica', text: `Read from the replica${lag}` };
}
