import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import type { PostwireConfig } from '@postwire/config';
import { PostgresClient, type SqlClient } from '@postwire/persistence';
import { REPORTS_SQL_CLIENT, SQL_CLIENT } from './tokens';

/** The report pool's sessions in pg_stat_activity. */
export const REPORTS_APPLICATION_NAME = 'postwire-reports';

/**
 * The connections reports read through: on PostgreSQL a pool of its own (REPORTS_POOL_SIZE), so a
 * slow report never holds a connection clicks and postbacks wait for, and whose statements
 * PostgreSQL cancels past REPORT_TIMEOUT_MS. PGlite is one in-process connection: reports share it.
 * This is the one place that decides where reports read (a read replica would be chosen here).
 */
export function openReportsClient(config: PostwireConfig, primary: SqlClient): SqlClient {
  if (!config.databaseUrl) return primary;
  const logger = new Logger('ReportsDatabase');
  return new PostgresClient({
    connectionString: config.databaseUrl,
    max: config.reports.poolSize,
    statementTimeoutMs: config.reports.timeoutMs,
    applicationName: REPORTS_APPLICATION_NAME,
    onConnectionError: (error) => logger.warn(`lost a reports connection: ${error.message}`),
  });
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
