import { ConfigError, loadConfig } from '@postwire/config';
import { migrate, openSqlClient, PARTITIONED_HISTORY } from '@postwire/persistence';

/**
 * `npm run db:partition`: converts the history tables a boot left plain because they were too large
 * (docs/storage.md#partitions): clicks, then the postback log. On PostgreSQL it runs beside a running
 * Postwire: the long parts (a validated CHECK constraint and a unique index built CONCURRENTLY) do not
 * block writes, and the swap is a short transaction. Clicks copy nothing (the old table becomes the
 * first partition); the postback log keeps its old table as the kept partition and moves only the rows
 * that expire. With the embedded database, stop Postwire first: PGlite is opened by one process at a time.
 */
async function main(): Promise<number> {
  const config = loadConfig();
  const db = await openSqlClient({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: 2, shortRun: true });
  try {
    await migrate(db);
    for (const history of PARTITIONED_HISTORY) {
      const started = Date.now();
      const result = await history.convert(db, { online: db.driver === 'postgres' });
      const took = `${((Date.now() - started) / 1000).toFixed(1)} s`;
      if (result.already) process.stdout.write(`${history.table}: already partitioned\n`);
      else if (result.legacy)
        process.stdout.write(
          `${history.table}: partitioned in ${took}; its ${result.rows} rows are the partition ${history.table}_legacy (before ${result.cutover!.toISOString()})\n`,
        );
      else process.stdout.write(`${history.table}: partitioned in ${took} (${result.rows} rows kept)\n`);
    }
    return 0;
  } finally {
    await db.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    process.stderr.write(error instanceof ConfigError ? `${error.message}\n` : `db:partition failed: ${error.stack ?? error.message}\n`);
    process.exit(error instanceof ConfigError ? 78 : 1);
  },
);
