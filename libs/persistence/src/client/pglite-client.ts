import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import type { SqlClient, SqlExecutor, SqlResult } from './sql-client';
import { compileWasmWithOptimizingCompilerOnly } from './wasm-compiler';

/**
 * Memory settings PGlite starts with (the rest are its defaults). Its WASM memory only grows, and
 * PostgreSQL's default 128 MB of shared_buffers is touched at start, so it was ~120 MB of every
 * embedded process's RSS. PGlite reads its pages through the operating system's file cache, which
 * still caches what these buffers do not; bench/NOTES.md has the measurements.
 */
export const PGLITE_MEMORY_SETTINGS: Readonly<Record<string, string>> = {
  /** Default of PGLITE_SHARED_BUFFERS_MB. */
  shared_buffers: '16MB',
  // One connection, small sorts and hashes: the reports' heavier queries run on PostgreSQL setups.
  work_mem: '2MB',
  maintenance_work_mem: '16MB',
  temp_buffers: '2MB',
  wal_buffers: '1MB',
};

/**
 * Embedded PostgreSQL (WASM) stored in a folder: the zero-setup default. It is one connection,
 * so statements and transactions run one at a time; PGlite queues them itself.
 */
export class PgliteClient implements SqlClient {
  readonly driver = 'pglite' as const;

  private constructor(private readonly db: PGlite) {}

  /**
   * Opens (or creates) the database in `dataDir`; `undefined` keeps it in memory (tests). `loadDataDir`
   * starts from a copy made by `dumpDataDir`: tests clone one migrated database instead of migrating each.
   */
  static async open(
    dataDir?: string,
    options: {
      sharedBuffersMb?: number;
      loadDataDir?: Blob;
      /**
       * `true` (the default, for Postwire's own processes): WASM compiled by TurboFan only, ~40 MB less RSS for
       * as long as the process lives (wasm-compiler.ts). `false` leaves V8's tiers as they are, for short-lived
       * test databases: Liftoff starts PGlite in about a third of the CPU (3.3 → 1.3 s here). The flag is
       * process-wide and one-way, so every open in a test process passes `false`.
       */
      optimizingCompilerOnly?: boolean;
    } = {},
  ): Promise<PgliteClient> {
    if (dataDir) mkdirSync(dataDir, { recursive: true });
    if (options.optimizingCompilerOnly ?? true) compileWasmWithOptimizingCompilerOnly();
    const settings = { ...PGLITE_MEMORY_SETTINGS, ...(options.sharedBuffersMb ? { shared_buffers: `${options.sharedBuffersMb}MB` } : {}) };
    const startParams = [...PGlite.defaultStartParams, ...Object.entries(settings).flatMap(([name, value]) => ['-c', `${name}=${value}`])];
    const db = await PGlite.create({ ...(dataDir ? { dataDir } : {}), ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}), startParams });
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

  /** The whole data directory as an uncompressed tarball, for `open(…, { loadDataDir })`. */
  async dumpDataDir(): Promise<Blob> {
    return this.db.dumpDataDir('none');
  }

  async ping(): Promise<void> {
    await this.db.query('SELECT 1');
  }

  async close(): Promise<void> {
    if (!this.db.closed) await this.db.close();
  }
}
