import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import type { PostwireConfig } from '@postwire/config';
import { PostgresClient, ReplicaFallbackClient, type ReadSource, type SqlClient } from '@postwire/persistence';
import { REPORTS_SQL_CLIENT, SQL_CLIENT } from './tokens';

/** The report pool's sessions in pg_stat_activity. */
export const REPORTS_APPLICATION_NAME = 'postwire-reports';

/** A replica that does not accept a connection within this is taken for down (reads then go to the primary). */
const REPLICA_CONNECT_TIMEOUT_MS = 2000;

/**
 * The connections reports read through: on PostgreSQL a pool of its own (REPORTS_POOL_SIZE), so a
 * slow report never holds a connection clicks and postbacks wait for, and whose statements
 * PostgreSQL cancels past REPORT_TIMEOUT_MS. PGlite is one in-process connection: reports share it.
 * With REPORTS_DATABASE_URL, such a pool on the read replica, falling back to one on the primary
 * while the replica is down. This is the one place that decides where reports read.
 */
export function openReportsClient(config: PostwireConfig, primary: SqlClient): SqlClient {
  if (!config.databaseUrl) return primary;
  const logger = new Logger('ReportsDatabase');
  const pool = (connectionString: string, name: string, connectTimeoutMs?: number) =>
    new PostgresClient({
      connectionString,
      max: config.reports.poolSize,
      statementTimeoutMs: config.reports.timeoutMs,
      applicationName: REPORTS_APPLICATION_NAME,
      sessionSettings: reportSessionSettings(config),
      connectTimeoutMs,
      onConnectionError: (error) => logger.warn(`lost a ${name} connection: ${error.message}`),
    });
  const onPrimary = pool(config.databaseUrl, 'reports');
  if (!config.reports.databaseUrl) return onPrimary;
  return new ReplicaFallbackClient(pool(config.reports.databaseUrl, 'read replica', REPLICA_CONNECT_TIMEOUT_MS), onPrimary, {
    onSwitch: (state) =>
      state.up
        ? logger.log('the read replica answers again; reports read it')
        : logger.warn(`the read replica cannot be reached (${state.error}); reports read the primary until it is back`),
  });
}

/**
 * What every report session runs with. No JIT: a report's plan is compiled afresh for each request
 * and the compilation cost 6 s of a 22 s report at 10 M clicks (bench/NOTES.md), more than it saved.
 * Few parallel workers: each worker is a process on the database's cores, which the click path
 * needs; with the sub-id value rollups a report reads little, so one core is enough.
 */
export function reportSessionSettings(config: PostwireConfig): Record<string, string | number> {
  return { jit: 'off', max_parallel_workers_per_gather: config.reports.parallelWorkers };
}

/** Where reports read, for a report's answer and for health. */
export interface ReportsSourceStatus {
  /** Where the next report would be read. */
  source: ReadSource;
  /** Only with REPORTS_DATABASE_URL. */
  replica?: { up: true; lagSeconds: number; lagBytes: number } | { up: false; error: string; since?: string };
}

/** How long a measured replica lag is reused (a report and health each ask for it). */
const LAG_CACHE_MS = 1000;

/**
 * Where reports read: the primary, or the read replica (with its lag) and whether reads fell back
 * from it. Reports run their reads through {@link track} to learn who answered them.
 */
@Injectable()
export class ReportsSource {
  private measured?: { at: number; status: ReportsSourceStatus };

  constructor(@Inject(REPORTS_SQL_CLIENT) private readonly client: SqlClient) {}

  /** Runs the reads of one report and says which database answered; a warning when the replica should have and could not. */
  async track<T>(work: () => Promise<T>): Promise<{ value: T; source: ReadSource; warning?: string }> {
    if (!(this.client instanceof ReplicaFallbackClient)) return { value: await work(), source: 'primary' };
    const { value, source } = await this.client.track(work);
    const state = this.client.replicaState;
    const warning = source === 'primary' ? `read from the primary: the read replica cannot be reached${state.up ? '' : ` (${state.error})`}` : undefined;
    return { value, source, ...(warning ? { warning } : {}) };
  }

  /** Where reports read now and, with a replica, how far behind it is (measured at most once a second). */
  async status(): Promise<ReportsSourceStatus> {
    const client = this.client;
    if (!(client instanceof ReplicaFallbackClient)) return { source: 'primary' };
    // Not reused once a read found the replica down since: a report must not claim a lag for a replica that is gone.
    const cached = this.measured;
    if (cached && Date.now() - cached.at < LAG_CACHE_MS && (client.replicaState.up || !cached.status.replica?.up)) return cached.status;
    let status: ReportsSourceStatus;
    try {
      const lag = await client.lag();
      status = { source: client.replicaState.up ? 'replica' : 'primary', replica: { up: true, lagSeconds: lag.seconds, lagBytes: lag.bytes } };
    } catch (error) {
      const state = client.replicaState;
      status = { source: 'primary', replica: { up: false, error: (error as Error).message, ...(state.up ? {} : { since: state.since.toISOString() }) } };
    }
    this.measured = { at: Date.now(), status };
    return status;
  }
}

/** Closes the reports' own pool (not the shared PGlite connection, which its owner closes). */
@Injectable()
export class ReportsClientCloser implements OnApplicationShutdown {
  constructor(
    @Inject(REPORTS_SQL_CLIENT) private readonly reports: SqlClient,
    @Inject(SQL_CLIENT) private readonly primary: SqlClient,
  ) {}
  async onApplicationShutdown(): Promise<void> {
    if (this.reports !== this.primary) await this.reports.close();
  }
}
