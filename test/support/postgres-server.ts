import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { freePort } from './ports';
import { waitUntil } from './wait-until';

/**
 * A private, real PostgreSQL server (initdb into a temp folder, its own port), so a test can
 * `kill -9` the postmaster and start it again under a running Postwire without touching the shared
 * server. PostgreSQL refuses to run as root, so as root it runs as the `postgres` user.
 */
export class PostgresServer {
  private child?: ChildProcess;
  private constructor(
    readonly port: number,
    private readonly dir: string,
    private readonly bin: string,
  ) {}

  static async start(): Promise<PostgresServer> {
    const bin = postgresBinDir();
    const dir = mkdtempSync(join(tmpdir(), 'postwire-pg-'));
    const owner = process.getuid?.() === 0 ? postgresUser() : undefined;
    if (owner) chownSync(dir, owner.uid, owner.gid);
    execFileSync(...asOwner(owner, join(bin, 'initdb'), ['-D', join(dir, 'data'), '-U', 'postgres', '-A', 'trust', '--no-sync', '-E', 'UTF8']), {
      stdio: 'ignore',
    });
    const server = new PostgresServer(await freePort(), dir, bin);
    await server.up();
    return server;
  }

  /**
   * A streaming read replica of this server: `pg_basebackup -R` (which writes the replication settings)
   * into a folder of its own, started on its own port. The server's default pg_hba lets loopback replicate;
   * a fast checkpoint, or the backup waits for a spread one (minutes on a busy machine).
   */
  async startReplica(): Promise<PostgresServer> {
    const dir = mkdtempSync(join(tmpdir(), 'postwire-pg-replica-'));
    const owner = process.getuid?.() === 0 ? postgresUser() : undefined;
    if (owner) chownSync(dir, owner.uid, owner.gid);
    execFileSync(
      ...asOwner(owner, join(this.bin, 'pg_basebackup'), [
        '-D',
        join(dir, 'data'),
        '-h',
        '127.0.0.1',
        '-p',
        String(this.port),
        '-U',
        'postgres',
        '-R',
        '-X',
        'stream',
        '--checkpoint=fast',
        '--no-sync',
      ]),
      { stdio: 'ignore' },
    );
    const replica = new PostgresServer(await freePort(), dir, this.bin);
    await replica.up();
    return replica;
  }

  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  /** Starts the postmaster; after a `kill -9` the old backends may still hold its shared memory for a moment, so it retries. */
  async up(): Promise<void> {
    await waitUntil(
      async () => {
        const owner = process.getuid?.() === 0 ? postgresUser() : undefined;
        const child = spawn(
          ...asOwner(owner, join(this.bin, 'postgres'), [
            '-D',
            join(this.dir, 'data'),
            '-p',
            String(this.port),
            '-k',
            this.dir,
            '-c',
            'listen_addresses=127.0.0.1',
            // Crash recovery still runs after a kill -9; durability against power loss is not under test.
            '-c',
            'fsync=off',
            '-c',
            'max_connections=100',
          ]),
          { stdio: 'ignore' },
        );
        this.child = child;
        const ready = await waitForConnection(this.url, child, 10_000);
        if (!ready && child.exitCode === null) child.kill('SIGKILL');
        return ready;
      },
      20_000,
      `private PostgreSQL on ${this.port}`,
    );
  }

  /** `kill -9` of the postmaster: every backend dies with it, as in a crash of the database host's server. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
    this.child = undefined;
  }

  /** The URL of database `name` on this server. */
  databaseUrl(name: string): string {
    const url = new URL(this.url);
    url.pathname = `/${name}`;
    return url.toString();
  }

  async createDatabase(name: string): Promise<string> {
    const admin = new Client({ connectionString: this.url });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE ${name}`);
    } finally {
      await admin.end();
    }
    return this.databaseUrl(name);
  }

  /** Stops the server and removes its folder. */
  async dispose(): Promise<void> {
    await this.kill();
    // Orphaned backends of the killed postmaster exit on their own once they notice; give them a moment.
    await new Promise((r) => setTimeout(r, 200));
    rmSync(this.dir, { recursive: true, force: true });
  }
}

async function waitForConnection(url: string, child: ChildProcess, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) return false;
    const client = new Client({ connectionString: url });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.query('SELECT 1');
      await client.end();
      return true;
    } catch {
      await client.end().catch(() => undefined);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return false;
}

function postgresBinDir(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  const found = versions.map((v) => join(root, v, 'bin')).find((bin) => existsSync(join(bin, 'initdb')));
  if (!found) throw new Error(`no PostgreSQL server binaries under ${root}`);
  return found;
}

function postgresUser(): { uid: number; gid: number } {
  return { uid: Number(execFileSync('id', ['-u', 'postgres']).toString()), gid: Number(execFileSync('id', ['-g', 'postgres']).toString()) };
}

/** The command line that runs `file` as the owner of the data folder: `setpriv` replaces itself with it, so the pid is the postmaster's. */
function asOwner(owner: { uid: number; gid: number } | undefined, file: string, args: string[]): [string, string[]] {
  if (!owner) return [file, args];
  return ['setpriv', [`--reuid=${owner.uid}`, `--regid=${owner.gid}`, '--clear-groups', file, ...args]];
}
