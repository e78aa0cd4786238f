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

  it('sets it before the first statement, not queued behind it on a busy client (pg warns, and pg@9 drops that)', async () => {
    // A copy of pg of this test's own, whose Client#query notes each call made while its client is busy (the
    // fields pg itself checks before it warns "Calling client.query() when the client is already executing a query").
    let fresh!: typeof openSqlClient;
    const whileBusy: string[] = [];
    jest.isolateModules(() => {
      const { Client } = require('pg') as typeof import('pg');
      const query = Client.prototype.query;
      Client.prototype.query = function (this: { _activeQuery?: unknown; _queryQueue: unknown[] }, ...args: unknown[]) {
        if (this._activeQuery || this._queryQueue.length) whileBusy.push(String((args[0] as { text?: string }).text ?? args[0]));
        return (query as (...a: unknown[]) => unknown).apply(this, args);
      } as typeof query;
      fresh = (require('./open-sql-client') as { openSqlClient: typeof openSqlClient }).openSqlClient;
    });
    const client = await fresh({ databaseUrl: db.url, dataDir: '', poolSize: 2 });
    clients.push(client);
    expect(await jitOnSessions(client, 2)).toEqual({ settings: new Set(['off']), sessions: 2 });
    expect(whileBusy).toEqual([]);
  });

  it("is the server's setting on a pool not asked to turn it off", async () => {
    const client = new PostgresClient({ connectionString: db.url, max: 3 });
    clients.push(client);
    expect(await jitOnSessions(client, 3)).toEqual({ settings: new Set(['on']), sessions: 3 });
  });
});
