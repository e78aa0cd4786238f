import { resolve } from 'node:path';
import type { PostwireConfig } from '@postwire/config';

/** A secret made during this boot that exists nowhere else in clear (only its hash is stored). */
export interface OneTimeSecret {
  label: string;
  value: string;
}

/**
 * The secrets this boot made, held until the "ready" block prints them: in the middle of ~100 boot
 * lines they were easy to miss. A plain module-level list because the bootstraps that add to it and
 * `listen` that prints it live in different modules, in one process.
 */
const pending: OneTimeSecret[] = [];

/** Keeps a just-created secret for the "ready" block; it is printed once and then forgotten. */
export function rememberOneTimeSecret(label: string, value: string): void {
  pending.push({ label, value });
}

/** The secrets not printed yet, emptying the list. */
export function takeOneTimeSecrets(): OneTimeSecret[] {
  return pending.splice(0);
}

/** Where the data lives, without credentials: the embedded folder, or the PostgreSQL host and database. */
export function describeStorage(config: Pick<PostwireConfig, 'databaseUrl' | 'dataDir'>): string {
  if (!config.databaseUrl) return `embedded PGlite in ${resolve(config.dataDir, 'pglite')}`;
  const url = new URL(config.databaseUrl);
  return `PostgreSQL database "${decodeURIComponent(url.pathname.slice(1)) || 'postgres'}" on ${url.hostname}:${url.port || '5432'}`;
}

/** The block that ends the boot log: where to go, where the data is, and the secrets made just now. */
export function readyBlock(config: Pick<PostwireConfig, 'databaseUrl' | 'dataDir' | 'publicUrl'>, secrets: readonly OneTimeSecret[]): string {
  const rows: Array<[string, string]> = [
    ['tracker', config.publicUrl],
    ['console', `${config.publicUrl}/console/`],
    ['data', describeStorage(config)],
    ...secrets.map((s): [string, string] => [s.label, s.value]),
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  const lines = rows.map(([label, value]) => `  ${`${label}:`.padEnd(width + 2)}${value}`);
  const note = secrets.length ? ['', '  Copy the lines above now: they are shown this once (only hashes are stored).'] : [];
  // A generated password is meant to be replaced: say where, not only that.
  if (secrets.some((s) => s.label.endsWith('password')))
    note.push(`  Sign in, then change the password under Account › Password: ${passwordPage(config.publicUrl)}`);
  return ['', 'Postwire is ready.', ...lines, ...note, ''].join('\n') + '\n';
}

/** The console screen where a signed-in user changes their own password. */
export function passwordPage(publicUrl: string): string {
  return `${publicUrl}/console/account/password`;
}
