import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { dropPostgresDatabase, TEMPLATE_ENV } from '../../libs/persistence/src/test-support/databases';
import { E2E_PGLITE_DIR_ENV } from './pglite-data-folder';

/** Removes what global-setup.ts made; runs once per project that named it, so the second call finds nothing. */
export default async function globalTeardown(): Promise<void> {
  const postgres = process.env[TEMPLATE_ENV.postgres];
  const pglite = process.env[TEMPLATE_ENV.pglite];
  delete process.env[TEMPLATE_ENV.postgres];
  delete process.env[TEMPLATE_ENV.pglite];
  if (postgres) await dropPostgresDatabase(postgres);
  if (pglite) rmSync(dirname(pglite), { recursive: true, force: true });
  const folder = process.env[E2E_PGLITE_DIR_ENV];
  delete process.env[E2E_PGLITE_DIR_ENV];
  if (folder) rmSync(dirname(folder), { recursive: true, force: true });
}
