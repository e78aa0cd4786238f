import { cpSync, existsSync } from 'node:fs';
import { join } from 'node:path';

/** Names the migrated PGlite data folder that global-setup.ts makes for the e2e project. */
export const E2E_PGLITE_DIR_ENV = 'POSTWIRE_TEST_PGLITE_DIR';

/**
 * Puts a copy of the migrated PGlite data folder where an embedded app will open it (DATA_DIR/pglite),
 * so the app boots on a migrated, empty database instead of migrating from nothing. Does nothing
 * outside Jest (no folder named) or when the app already has a database there.
 */
export function seedPgliteDataFolder(dataDir: string): boolean {
  const template = process.env[E2E_PGLITE_DIR_ENV];
  const target = join(dataDir, 'pglite');
  if (!template || existsSync(target)) return false;
  cpSync(template, target, { recursive: true });
  return true;
}
