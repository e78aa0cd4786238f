import { Pool, types } from 'pg';
import type { SqlClient, SqlExecutor, SqlResult } from './sql-client';

// Keep `numeric` as exact strings (pg's default) and read int8 counts as numbers: no count here
// comes near 2^53, and strings for counts would leak into JSON answers.
types.setTypeParser(types.builtins.INT8, (v) => Number(v));

export interface PostgresClientOptions {
  connectionString: string;
  /** Pool size; a small pool per process is right for a 2-core host, more processes scale out. */
  max?: number;
}

export class PostgresClient implements SqlClient {
  readonly driver = 'postgres' as const;
  private readonly pool: Pool;

  constructor(options: PostgresClientOptions) {
    this.pool = new Pool({ connectionString: options.connectionString, max: options.max ?? 10 });
    // An idle client losing its server must not crash the process; the pool replaces it.
    this.pool.on('error', () => undefined);
  }

  async query<T>(text: string, params?: readonly unknown[]): Promise<SqlResult<T>> {
    const result = await this.pool.query(text, params as unknown[] | undefined);
    return { rows: result.rows as T[], rowCount: result.rowCount ?? 0 };
  }

  async transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const tx: SqlExecutor = {
        query: async <R>(text: string, params?: readonly unknown[]) => {
          const r = await client.query(text, params as unknown[] | undefined);
          return { rows: r.rows as R[], rowCount: r.rowCount ?? 0 };
        },
      };
      const result = await work(tx);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async exec(script: string): Promise<void> {
    await this.pool.query(script);
  }

  async ping(): Promise<void> {
    await this.pool.query('SELECT 1');
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
