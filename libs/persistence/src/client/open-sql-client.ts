import { join } from 'node:path';
import { PgliteClient } from './pglite-client';
import { PostgresClient } from './postgres-client';
import type { SqlClient } from './sql-client';

/**
 * PostgreSQL when a URL is given, else the embedded database under `dataDir/pglite`. The PostgreSQL pool
 * runs without JIT: it carries the click and postback batches and the console's reads, short statements
 * that JIT only slows (reports read through a pool of their own).
 */
export async function openSqlClient(options: {
  databaseUrl?: string;
  dataDir: string;
  poolSize?: number;
  pgliteSharedBuffersMb?: number;
  /**
   * Embedded only: a command that runs a few statements and exits (the CLIs). Its PGlite keeps V8's own WASM
   * tiers: TurboFan-only compiling saves a server's memory for its whole life, and costs a short run ~2 s of CPU.
   */
  shortRun?: boolean;
  /** PostgreSQL only: told of each lost connection (the process never exits for one). */
  onConnectionError?: (error: Error) => void;
}): Promise<SqlClient> {
  if (options.databaseUrl)
    return new PostgresClient({ connectionString: options.databaseUrl, max: options.poolSize, onConnectionError: options.onConnectionError, jit: false });
  return PgliteClient.open(join(options.dataDir, 'pglite'), { sharedBuffersMb: options.pgliteSharedBuffersMb, optimizingCompilerOnly: !options.shortRun });
}
