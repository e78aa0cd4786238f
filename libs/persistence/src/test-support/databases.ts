import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Client } from 'pg';
import { PgliteClient } from '../client/pglite-client';
import { PostgresClient } from '../client/postgres-client';
import type { SqlClient } from '../client/sql-client';
import { migrate } from '../migrations/migrator';
import { preparePartitions } from '../partitions/prepare-partitions';

/**
 * Storage tests run against both drivers. The PostgreSQL one gets a fresh database per suite on
 * the server named by TEST_DATABASE_URL (default: the local server's `postgres` database), so
 * suites never see each other's rows.
 */
export const TEST_SERVER_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * Jest's globalSetup migrates once per run and names its results here; every suite then starts
 * from a copy. Without them (a script run outside Jest) each database is migrated from empty.
 */
export const TEMPLATE_ENV = {
  /** A migrated PostgreSQL database on TEST_SERVER_URL's server, cloned with CREATE DATABASE … TEMPLATE. */
  postgres: 'POSTWIRE_TEST_PG_TEMPLATE',
  /** A file holding a migrated PGlite data directory (`dumpDataDir`), loaded into each in-memory PGlite. */
  pglite: 'POSTWIRE_TEST_PGLITE_TEMPLATE',
} as const;

export interface TestDatabase {
  name: 'pglite' | 'postgres';
  client: SqlClient;
  url?: string;
  drop(): Promise<void>;
}

/** Runs `work` on a connection to the server's maintenance database. */
async function onServer<T>(work: (admin: Client) => Promise<T>): Promise<T> {
  const admin = new Client({ connectionString: TEST_SERVER_URL });
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.end();
  }
}

export function databaseUrl(dbName: string): string {
  const url = new URL(TEST_SERVER_URL);
  url.pathname = `/${dbName}`;
  return url.toString();
}

export function randomDatabaseName(): string {
  return `postwire_test_${randomBytes(6).toString('hex')}`;
}

/** PostgreSQL refuses to copy a template while another session copies or uses it (55006); copies are quick, so try again. */
async function createDatabase(admin: Client, dbName: string, template: string | undefined): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await admin.query(template ? `CREATE DATABASE ${dbName} TEMPLATE ${template}` : `CREATE DATABASE ${dbName}`);
      return;
    } catch (error) {
      if ((error as { code?: string }).code !== '55006' || attempt >= 50) throw error;
      await new Promise((r) => setTimeout(r, 20 * attempt));
    }
  }
}

/**
 * A new database of its own on the test server: a copy of the run's migrated template when there is
 * one (so the app's boot migration finds nothing to do), else empty. `empty` is for tests of the
 * migrations themselves.
 */
export async function createPostgresDatabase(options: { empty?: boolean } = {}): Promise<{ url: string; drop: () => Promise<void> }> {
  const dbName = randomDatabaseName();
  await onServer((admin) => createDatabase(admin, dbName, options.empty ? undefined : process.env[TEMPLATE_ENV.postgres]));
  return { url: databaseUrl(dbName), drop: () => dropPostgresDatabase(dbName) };
}

export async function dropPostgresDatabase(dbName: string): Promise<void> {
  await onServer((admin) => admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`));
}

/** A migrated database of the given driver, its own for the suite. */
export async function openTestDatabase(kind: 'pglite' | 'postgres'): Promise<TestDatabase> {
  if (kind === 'pglite') {
    const templateFile = process.env[TEMPLATE_ENV.pglite];
    const client = await PgliteClient.open(undefined, {
      ...TEST_PGLITE_OPTIONS,
      ...(templateFile ? { loadDataDir: new Blob([readFileSync(templateFile)]) } : {}),
    });
    // A no-op on the template's copy; it keeps a stale template (or none) from being used as is.
    await migrate(client);
    await preparePartitions(client);
    return { name: kind, client, drop: () => client.close() };
  }
  const db = await createPostgresDatabase();
  const client = new PostgresClient({ connectionString: db.url, max: 20 });
  await migrate(client);
  await preparePartitions(client);
  return {
    name: kind,
    client,
    url: db.url,
    drop: async () => {
      await client.close();
      await db.drop();
    },
  };
}

export const BOTH_DRIVERS = ['pglite', 'postgres'] as const;

/**
 * How every test process opens PGlite: with V8's own WASM tiers. PgliteClient's default (TurboFan only) saves
 * memory in a long-lived process and costs each open ~2 s more CPU; in a Jest worker that opens PGlite for
 * suite after suite it is only slower, and the flag, once set, holds for the rest of the worker.
 */
export const TEST_PGLITE_OPTIONS = { optimizingCompilerOnly: false } as const;
