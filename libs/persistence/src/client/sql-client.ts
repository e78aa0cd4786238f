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

export interface TransactionOptions {
  /**
   * Plan the transaction's prepared statements once, generically, on the PostgreSQL driver. For
   * statements over `unnest($n::…[])` arrays: PostgreSQL expects 10–100 rows from such an array, so the
   * generic plan always looks dearer than a custom one and it would re-plan them at every run (planning
   * a seven-table join cost 1.5 ms, five times running it). Without effect on PGlite, which prepares nothing.
   */
  genericPlans?: boolean;
}

export interface SqlClient extends SqlExecutor {
  readonly driver: 'postgres' | 'pglite';
  /** Runs `work` in one transaction (READ COMMITTED); it commits when `work` resolves and rolls back when it throws. */
  transaction<T>(work: (tx: SqlExecutor) => Promise<T>, options?: TransactionOptions): Promise<T>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(script: string): Promise<void>;
  /** Cheap liveness probe for health checks. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
