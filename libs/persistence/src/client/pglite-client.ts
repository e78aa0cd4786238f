import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import type { SqlClient, SqlExecutor, SqlResult } from './sql-client';

/**
 * Embedded PostgreSQL (WASM) stored in a folder: the zero-setup default. It is one connection,
 * so statements and transactions run one at a time; PGlite queues them itself.
 */
export class PgliteClient implements SqlClient {
  readonly driver = 'pglite' as const;

  private constructor(private readonly db: PGlite) {}

  /** Opens (or creates) the database in `dataDir`; `undefined` keeps it in memory (tests). */
  static async open(dataDir?: string): Promise<PgliteClient> {
    if (dataDir) mkdirSync(dataDir, { recursive: true });
    const db = await PGlite.create(dataDir ? { dataDir } : {});
    return new PgliteClient(db);
  }

  async query<T>(text: string, params?: readonly unknown[]): Promise<SqlResult<T>> {
    const result = await this.db.query<T>(text, params as unknown[] | undefined);
    return { rows: result.rows, rowCount: result.affectedRows ?? result.rows.length };
  }

  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return this.db.transaction(async (t) =>
      work({
        query: async <R>(text: string, params?: readonly unknown[]) => {
          const r = await t.query<R>(text, params as unknown[] | undefined);
          return { rows: r.rows, rowCount: r.affectedRows ?? r.rows.length };
        },
      }),
    );
  }

  async exec(script: string): Promise<void> {
    await this.db.exec(script);
  }

  async ping(): Promise<void> {
    await this.db.query('SELECT 1');
  }

  async close(): Promise<void> {
    if (!this.db.closed) await this.db.close();
  }
}
