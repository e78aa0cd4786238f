import { createPostgresDatabase } from '../test-support/databases';
import { openSqlClient } from './open-sql-client';
import { PostgresClient } from './postgres-client';
import type { SqlClient } from './sql-client';

/**
 * The main pool's sessions run without JIT (a click batch past `jit_above_cost` spent most of its time
 * compiling), every one of them, from its first statement on; a pool not asked keeps the server's setting.
 */
describe('PostgreSQL JIT on the main pool', () => {
  let db: { url: string; drop: () => Promise<void> };
  const clients: SqlClient[] = [];

  beforeAll(async () => {
    db = await createPostgresDatabase({ empty: true });
    // The database's own default is on, so "off" can only come from the pool.
    const admin = new PostgresClient({ connectionString: db.url, max: 1 });
    const name = new URL(db.url).pathname.slice(1);
    await admin.query(`ALTER DATABASE "${name}" SET jit = on`);
    await admin.close();
  }, 60_000);

  afterAll(async () => {
    for (const client of clients) await client.close();
    await db?.drop();
  });

  /** `SHOW jit` on `n` sessions at once (each holds its connection a moment, so the pool opens `n`). */
  const jitOnSessions = async (client: SqlClient, n: number) => {
    const rows = await Promise.all(
      Array.from({ length: n }, () =>
        client.query<{ jit: string; pid: number }>('SELECT current_setting($1) AS jit, pg_backend_pid() AS pid, pg_sleep(0.2)', ['jit']),
      ),
    );
    return { settings: new Set(rows.map((r) => r.rows[0].jit)), sessions: new Set(rows.map((r) => r.rows[0].pid)).size };
  };

  it('is off on every session of the pool openSqlClient makes', async () => {
    const client = await openSqlClient({ databaseUrl: db.url, dataDir: '', poolSize: 3 });
    clients.push(client);
    expect(await jitOnSessions(client, 3)).toEqual({ settings: new Set(['off']), sessions: 3 });
  });

  it("is the server's setting on a pool not asked to turn it off", async () => {
    const client = new PostgresClient({ connectionString: db.url, max: 3 });
    clients.push(client);
    expect(await jitOnSessions(client, 3)).toEqual({ settings: new Set(['on']), sessions: 3 });
  });
});
