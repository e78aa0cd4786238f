/**
 * The one port every repository talks through. Two drivers implement it: a pooled connection to a
 * PostgreSQL server, and the embedded PGlite. Both run the same SQL and the same migrations.
 */
export interface SqlExecutor {
  /** Runs one parameterised statement. */
  query<T = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<SqlResult<T>>;
}

export interface SqlResult<T> {
  rows: T[];
  rowCount: number;
}

export interface SqlClient extends SqlExecutor {
  readonly driver: 'postgres' | 'pglite';
  /** Runs `work` in one transaction (READ COMMITTED); it commits when `work` resolves and rolls back when it throws. */
  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(script: string): Promise<void>;
  /** Cheap liveness probe for health checks. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
