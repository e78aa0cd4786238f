import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PgliteClient } from '../../libs/persistence/src/client/pglite-client';
import { PostgresClient } from '../../libs/persistence/src/client/postgres-client';
import { migrate } from '../../libs/persistence/src/migrations/migrator';
import { preparePartitions } from '../../libs/persistence/src/partitions/prepare-partitions';
import { createPostgresDatabase, TEMPLATE_ENV, TEST_PGLITE_OPTIONS } from '../../libs/persistence/src/test-support/databases';
import { E2E_PGLITE_DIR_ENV } from './pglite-data-folder';

/**
 * Migrates once per Jest run: a PostgreSQL template database and a PGlite data directory, which
 * `openTestDatabase` and `createPostgresDatabase` then copy for every suite. Workers inherit the
 * environment set here. Both the integration and the e2e project name this file (Jest calls it once
 * for each project that has tests to run); a template made by the first call is kept. The e2e apps
 * keep their embedded PGlite in data folders of their own, so only integration specs need its template.
 */
export default async function globalSetup(_globalConfig: unknown, projectConfig: { displayName?: { name: string } }): Promise<void> {
  const project = projectConfig.displayName?.name;
  const wanted = [TEMPLATE_ENV.postgres, ...(project === 'integration' ? [TEMPLATE_ENV.pglite] : [])];
  const missing = wanted.filter((name) => !process.env[name]);
  const made = await Promise.all(missing.map((name) => (name === TEMPLATE_ENV.postgres ? postgresTemplate() : pgliteTemplate())));
  missing.forEach((name, i) => (process.env[name] = made[i]));
  if (project === 'e2e' && !process.env[E2E_PGLITE_DIR_ENV]) process.env[E2E_PGLITE_DIR_ENV] = await pgliteDataFolder();
}

/**
 * A migrated PGlite data folder that every embedded e2e app starts from (a copy of it, see
 * PostwireProcess): migrating PGlite from empty is most of an embedded boot, and about fifty apps boot.
 * Written by a closed PGlite, so the copy is a cleanly shut-down cluster.
 */
async function pgliteDataFolder(): Promise<string> {
  const dir = join(mkdtempSync(join(tmpdir(), 'postwire-test-')), 'pglite');
  const client = await PgliteClient.open(dir, TEST_PGLITE_OPTIONS);
  try {
    await migrate(client);
  } finally {
    await client.close();
  }
  return dir;
}

async function postgresTemplate(): Promise<string> {
  const db = await createPostgresDatabase({ empty: true });
  const client = new PostgresClient({ connectionString: db.url, max: 1 });
  try {
    await migrate(client);
    await preparePartitions(client);
  } finally {
    // No session may stay on a template while it is copied.
    await client.close();
  }
  return new URL(db.url).pathname.slice(1);
}

async function pgliteTemplate(): Promise<string> {
  const client = await PgliteClient.open(undefined, TEST_PGLITE_OPTIONS);
  try {
    await migrate(client);
    await preparePartitions(client);
    const file = join(mkdtempSync(join(tmpdir(), 'postwire-test-')), 'pglite-template.tar');
    writeFileSync(file, Buffer.from(await (await client.dumpDataDir()).arrayBuffer()));
    return file;
  } finally {
    await client.close();
  }
}
