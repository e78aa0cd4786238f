import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { STANDALONE_NODE_OPTIONS } from '../../apps/standalone/src/node-options';
import { createPostgresDatabase } from '../../libs/persistence/src/test-support/databases';
import { seedPgliteDataFolder } from './pglite-data-folder';
import { freePort } from './ports';
import { readyBlockOf } from './ready-block';
import { waitUntil } from './wait-until';

const ROOT = join(__dirname, '..', '..');
export const ADMIN_KEY = 'pw_admin_e2e_' + randomBytes(12).toString('hex');

export type AppEntry = 'standalone' | 'tracker' | 'worker';

export interface StartOptions {
  entry?: AppEntry;
  env?: Record<string, string>;
  /** Node options before the entry point; by default the standalone's (STANDALONE_NODE_OPTIONS) for it, none for the others. */
  nodeOptions?: readonly string[];
  /**
   * Embedded (PGlite) apps start from a copy of a database migrated once per run (pglite-data-folder.ts);
   * `true` makes this one migrate from empty, as a first `npm start` does.
   */
  emptyDatabase?: boolean;
  /**
   * `postgres`: the app gets a database of its own on the test server (a copy of the run's migrated
   * template), dropped by {@link PostwireProcess.dispose}. For specs about what the app does, not about
   * embedded mode: a PostgreSQL app boots in about a third of an embedded one's CPU (no PGlite to start
   * and warm up) and answers each query in native code instead of WebAssembly. The default, embedded,
   * is what `npm start` runs; the specs about first boot, the ready block, crash durability and the
   * console walkthrough keep it.
   */
  database?: 'embedded' | 'postgres';
  /**
   * The built app to run: a folder laid out like dist/ (apps/, libs/, plugins/); dist/ by default. A spec
   * that adds plugins boots a private copy, so the apps of specs running beside it never load them.
   */
  appDir?: string;
}

/**
 * Postwire started the way a user starts it: the built entry point as its own Node process,
 * configured only through the environment. Tests talk to it over real HTTP.
 */
export class PostwireProcess {
  private child?: ChildProcess;
  output = '';
  private constructor(
    readonly port: number,
    readonly env: Record<string, string>,
    private readonly entry: AppEntry,
    /** DATA_DIR of the process (the PGlite database lives in its `pglite` folder). */
    readonly dataDir: string,
    private readonly nodeOptions: readonly string[],
    private readonly appDir: string,
    private readonly dropDatabase?: () => Promise<void>,
  ) {}

  static async start(options: StartOptions = {}): Promise<PostwireProcess> {
    const port = await freePort();
    const dataDir = mkdtempSync(join(tmpdir(), 'postwire-e2e-'));
    const database = options.database === 'postgres' ? await createPostgresDatabase() : undefined;
    const env: Record<string, string> = {
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      ADMIN_API_KEY: ADMIN_KEY,
      FORWARD_ALLOW_CIDRS: '127.0.0.1/32,::1/128',
      LOG_LEVEL: 'warn',
      // Answers are checked against their declared response schemas (apps/tracker/src/openapi/contract.interceptor.ts).
      NODE_ENV: 'test',
      SWEEP_INTERVAL_MS: '500',
      QUEUE_PREFIX: 'pwtest' + randomBytes(4).toString('hex'),
      ...(database ? { DATABASE_URL: database.url } : {}),
      ...options.env,
    };
    const entry = options.entry ?? 'standalone';
    // The standalone with the Node options `npm start` and the Docker image give it.
    const nodeOptions = options.nodeOptions ?? (entry === 'standalone' ? STANDALONE_NODE_OPTIONS : []);
    if (!env.DATABASE_URL && !options.emptyDatabase) seedPgliteDataFolder(dataDir);
    const proc = new PostwireProcess(port, env, entry, dataDir, nodeOptions, options.appDir ?? join(ROOT, 'dist'), database?.drop);
    await proc.boot().catch(async (error: unknown) => {
      await database?.drop();
      throw error;
    });
    // The option must really put the app on PostgreSQL: one that quietly fell back to embedded would leave its specs green.
    if (database && entry !== 'worker') {
      // The block's lines may reach us in more than one chunk of the pipe.
      await waitUntil(() => readyBlockOf(proc.output).data !== undefined, 5000, 'the ready block\'s "data" line').catch(() => undefined);
      const where = readyBlockOf(proc.output).data;
      if (!where?.startsWith(`PostgreSQL database "${new URL(database.url).pathname.slice(1)}"`)) {
        await proc.dispose();
        throw new Error(`asked for a PostgreSQL database, the app's ready block says its data is in: ${where}`);
      }
    }
    return proc;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async boot(): Promise<void> {
    const child = spawn(process.execPath, [...this.nodeOptions, join(this.appDir, 'apps', this.entry, 'src', 'main.js')], {
      env: { PATH: process.env.PATH ?? '', ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    child.stdout?.on('data', (d: Buffer) => (this.output += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (this.output += d.toString()));
    if (this.entry === 'worker') {
      await waitUntil(() => this.output.includes('forwarding worker started'), 60_000, 'worker boot');
      return;
    }
    await waitUntil(
      async () => {
        if (child.exitCode !== null) throw new Error(`Postwire exited with ${child.exitCode}:\n${this.output}`);
        return (await fetch(`${this.url}/health`)).status === 200;
      },
      60_000,
      `Postwire on port ${this.port}\n${this.output}`,
    ).catch((e) => {
      // A boot that timed out is killed: left running, it outlives the failed suite and loads the machine further.
      child.kill('SIGKILL');
      throw new Error(`${(e as Error).message}\n--- output ---\n${this.output}`);
    });
    // Written right after listening, on a pipe that may reach us after the health answer did.
    await waitUntil(() => this.output.includes('Postwire is ready.'), 30_000, `the "ready" block\n${this.output}`);
  }

  /** Sends SIGTERM (graceful) or SIGKILL and waits for the process to end. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      child.kill(signal);
    });
  }

  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.dataDir, { recursive: true, force: true });
    await this.dropDatabase?.();
  }

  /** Admin API call with the test's admin key. */
  async api<T = unknown>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
    const res = await fetch(`${this.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${ADMIN_KEY}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
  }
}
