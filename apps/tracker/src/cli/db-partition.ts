import { ConfigError, loadConfig } from '@postwire/config';
import { convertToPartitioned, migrate, openSqlClient, TIME_PARTITIONED_TABLES } from '@postwire/persistence';

/**
 * `npm run db:partition`: converts the history tables a boot left plain because they were too large
 * (docs/storage.md#partitions). On PostgreSQL it runs beside a running Postwire: the long parts (a
 * validated CHECK constraint and a unique index built CONCURRENTLY) do not block clicks, and the swap
 * is a short transaction. Nothing is copied: the old table becomes the first partition. With the
 * embedded database, stop Postwire first: PGlite is opened by one process at a time.
 */
async function main(): Promise<number> {
  const config = loadConfig();
  const db = await openSqlClient({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: 2 });
  try {
    await migrate(db);
    for (const spec of TIME_PARTITIONED_TABLES) {
      const started = Date.now();
      const result = await convertToPartitioned(db, spec, { online: db.driver === 'postgres' });
      const took = `${((Date.now() - started) / 1000).toFixed(1)} s`;
      if (result.already) process.stdout.write(`${spec.table}: already partitioned\n`);
      else if (result.legacy)
        process.stdout.write(
          `${spec.table}: partitioned in ${took}; its ${result.rows} rows are the partition ${spec.table}_legacy (before ${result.cutover!.toISOString()})\n`,
        );
      else process.stdout.write(`${spec.table}: partitioned in ${took} (it was empty)\n`);
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
