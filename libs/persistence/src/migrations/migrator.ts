import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SqlClient } from '../client/sql-client';

/**
 * Applies `NNN_name.sql` files in order, once each, recording them in `schema_migrations`.
 * Hand-written rather than a library because it must drive both PostgreSQL and PGlite through
 * our own client, and hold an advisory lock so several processes booting at once on one
 * database cannot race each other. An edited, already-applied file stops boot: schema history
 * must not change under a running deployment.
 */
export const MIGRATIONS_DIR = join(__dirname, 'sql');
const LOCK_KEY = 0x706f7374; // "post"

export interface MigrationFile {
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

export function readMigrations(dir = MIGRATIONS_DIR): MigrationFile[] {
  return readdirSync(dir)
    .filter((f) => /^\d{3,}_[\w-]+\.sql$/.test(f))
    .sort()
    .map((file) => {
      const sql = readFileSync(join(dir, file), 'utf8');
      return {
        version: Number(file.split('_')[0]),
        name: file,
        sql,
        checksum: createHash('sha256').update(sql).digest('hex'),
      };
    });
}

export async function migrate(client: SqlClient, dir = MIGRATIONS_DIR): Promise<string[]> {
  const files = readMigrations(dir);
  const applied: string[] = [];
  await client.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [LOCK_KEY]);
    await tx.query(
      `CREATE TABLE IF NOT EXISTS schema_migrations (
         version integer PRIMARY KEY, name text NOT NULL, checksum text NOT NULL,
         applied_at timestamptz NOT NULL DEFAULT now())`,
    );
    const { rows } = await tx.query<{ version: number; checksum: string; name: string }>('SELECT version, checksum, name FROM schema_migrations');
    const done = new Map(rows.map((r) => [r.version, r]));
    for (const file of files) {
      const previous = done.get(file.version);
      if (previous) {
        if (previous.checksum !== file.checksum) {
          throw new Error(`Migration ${file.name} was changed after it was applied (as ${previous.name}); add a new migration instead.`);
        }
        continue;
      }
      // Statements one by one through the parameterised path, so the whole run shares the
      // transaction on both drivers (PGlite's multi-statement exec would leave it).
      for (const statement of splitStatements(file.sql)) await tx.query(statement);
      await tx.query('INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)', [file.version, file.name, file.checksum]);
      applied.push(file.name);
    }
  });
  return applied;
}

/** Splits a migration on `;` at line ends. Migrations keep one statement per `;`-terminated block and no `;` inside function bodies. */
export function splitStatements(sql: string): string[] {
  return sql
    .replace(/^\s*--.*$/gm, '')
    .split(/;\s*$/m)
    .map((s) => s.trim())
    .filter(Boolean);
}
