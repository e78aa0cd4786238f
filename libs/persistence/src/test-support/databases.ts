import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { PgliteClient } from '../client/pglite-client';
import { PostgresClient } from '../client/postgres-client';
import type { SqlClient } from '../client/sql-client';
import { migrate } from '../migrations/migrator';

/**
 * Storage tests run against both drivers. The PostgreSQL one gets a fresh database per suite on
 * the server named by TEST_DATABASE_URL (default: the local server's `postgres` database), so
 * suites never see each other's rows.
 */
export const TEST_SERVER_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  name: 'pglite' | 'postgres';
  client: SqlClient;
  url?: string;
  drop(): Promise<void>;
}

export async function createPostgresDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const dbName = `postwire_test_${randomBytes(6).toString('hex')}`;
  const admin = new Client({ connectionString: TEST_SERVER_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  await admin.end();
  const url = new URL(TEST_SERVER_URL);
  url.pathname = `/${dbName}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new Client({ connectionString: TEST_SERVER_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
      await c.end();
    },
  };
}

export async function openTestDatabase(kind: 'pglite' | 'postgres'): Promise<TestDatabase> {
  if (kind === 'pglite') {
    const client = await PgliteClient.open();
    await migrate(client);
    return { name: kind, client, drop: () => client.close() };
  }
  const db = await createPostgresDatabase();
  const client = new PostgresClient({ connectionString: db.url, max: 20 });
  await migrate(client);
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
