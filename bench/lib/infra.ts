import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { Client } from 'pg';

/** The PostgreSQL server to create scratch databases on (same convention as the tests). */
export const PG_SERVER_URL = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface ScratchDatabase {
  url: string;
  drop(): Promise<void>;
}

/** A fresh database on the server, dropped again by `drop` (even while something is still connected). */
export async function createDatabase(): Promise<ScratchDatabase> {
  const name = `postwire_bench_${randomBytes(6).toString('hex')}`;
  await withAdmin((c) => c.query(`CREATE DATABASE ${name}`));
  const url = new URL(PG_SERVER_URL);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => withAdmin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined) };
}

/**
 * A database kept between runs under a fixed name (the growth scenario's, which takes long to fill):
 * `fresh` drops and recreates it, otherwise it must already exist.
 */
export async function keptDatabase(name: string, fresh: boolean): Promise<ScratchDatabase> {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`database name ${name} must be lower-case letters, digits and _`);
  const url = new URL(PG_SERVER_URL);
  url.pathname = `/${name}`;
  const drop = () => withAdmin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined);
  if (fresh) {
    await drop();
    await withAdmin((c) => c.query(`CREATE DATABASE ${name}`));
  } else {
    const rows = await withAdmin((c) => c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]));
    if (!rows.rowCount) throw new Error(`database ${name} does not exist; run once without BENCH_GROWTH_REUSE to fill it`);
  }
  return { url: url.toString(), drop };
}

async function withAdmin<T>(work: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: PG_SERVER_URL });
  await c.connect();
  try {
    return await work(c);
  } finally {
    await c.end();
  }
}

/** application_name of the bench's own connections and of the baseline's, so neither is counted as Postwire's. */
export const BENCH_APP = 'postwire-bench';
export const BASELINE_APP = 'postwire-bench-baseline';

export async function pgQuery<T = Record<string, unknown>>(url: string, text: string, params: unknown[] = []): Promise<T[]> {
  const c = new Client({ connectionString: url, application_name: BENCH_APP });
  await c.connect();
  try {
    return (await c.query(text, params)).rows as T[];
  } finally {
    await c.end();
  }
}

export function newQueuePrefix(): string {
  return 'pwbench' + randomBytes(4).toString('hex');
}

/** Deletes every key under `prefix:` (bounded: at most 200 scan rounds). */
export async function deleteRedisPrefix(prefix: string): Promise<void> {
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1, lazyConnect: true });
  try {
    await redis.connect();
    let cursor = '0';
    for (let round = 0; round < 200; round++) {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 5000);
      if (keys.length) await redis.unlink(...keys);
      cursor = next;
      if (cursor === '0') break;
    }
  } finally {
    redis.disconnect();
  }
}

/** Process ids of the server backends serving `dbUrl` for Postwire or for the baseline (told apart by application_name). */
export async function backendPids(dbUrl: string, who: 'postwire' | 'baseline'): Promise<number[]> {
  const db = new URL(dbUrl).pathname.slice(1);
  const rows = await pgQuery<{ pid: number }>(
    dbUrl,
    `SELECT pid FROM pg_stat_activity WHERE datname = $1 AND backend_type = 'client backend' AND ${who === 'baseline' ? 'application_name = $2' : 'application_name NOT IN ($2, $3)'}`,
    who === 'baseline' ? [db, BASELINE_APP] : [db, BASELINE_APP, BENCH_APP],
  );
  return rows.map((r) => r.pid);
}
