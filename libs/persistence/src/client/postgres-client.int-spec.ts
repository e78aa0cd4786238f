import { createServer, type AddressInfo, type Socket } from 'node:net';
import { PostgresServer } from '../../../../test/support/postgres-server';
import { isDatabaseUnavailable } from './database-unavailable';
import { PostgresClient } from './postgres-client';

/**
 * A PostgreSQL restart under load: pooled clients are checked out (a transaction holds one, a
 * query runs on another) when the server dies. pg-pool drops its own `error` listener from a
 * client while it is checked out, so without ours the client's `error` event is unhandled and
 * ends the process ("Unhandled 'error' event … Connection terminated unexpectedly").
 */
describe('PostgresClient when the server restarts', () => {
  let server: PostgresServer;
  const uncaught: unknown[] = [];
  const onUncaught = (error: unknown) => uncaught.push(error);

  beforeAll(async () => {
    server = await PostgresServer.start();
    // Jest reports an unhandled `error` event as an uncaught exception of the test file; collect
    // them here so the test can name the failure instead.
    process.on('uncaughtException', onUncaught);
  }, 60_000);

  afterAll(async () => {
    process.off('uncaughtException', onUncaught);
    await server?.dispose();
  });

  it('rejects the work in flight, reports the errors, and serves again once the server is back', async () => {
    const reported: Error[] = [];
    const db = new PostgresClient({ connectionString: server.url, max: 4, onConnectionError: (error) => reported.push(error) });
    try {
      await db.query('CREATE TABLE IF NOT EXISTS t (n int)');
      let inTransaction!: () => void;
      const holding = new Promise<void>((resolve) => (inTransaction = resolve));
      let finish!: () => void;
      const held = new Promise<void>((resolve) => (finish = resolve));
      // Idle in transaction: no query is running on this client when the server dies.
      const transaction = db.transaction(async (tx) => {
        await tx.query('INSERT INTO t VALUES ($1)', [1]);
        inTransaction();
        await held;
        await tx.query('INSERT INTO t VALUES ($1)', [2]);
      });
      const outcome = transaction.then(
        () => 'committed',
        (error: Error) => error.message,
      );
      await holding;
      // A query running on another client when the server dies.
      const running = db.query('SELECT pg_sleep(30)').then(
        () => 'finished',
        (error: Error) => error.message,
      );
      await new Promise((r) => setTimeout(r, 100));

      await server.kill();
      await new Promise((r) => setTimeout(r, 300));
      finish();

      expect(await outcome).not.toBe('committed');
      expect(await running).not.toBe('finished');
      expect(uncaught).toEqual([]);
      expect(reported.length).toBeGreaterThan(0);

      await server.up();
      // The pool dropped the broken clients: new work gets fresh connections.
      await db.query('INSERT INTO t VALUES ($1)', [3]);
      await db.transaction((tx) => tx.query('INSERT INTO t VALUES ($1)', [4]));
      const { rows } = await db.query<{ n: number }>('SELECT n FROM t ORDER BY n');
      expect(rows.map((r) => r.n)).toEqual([3, 4]);
      expect(uncaught).toEqual([]);
    } finally {
      await db.close();
    }
  }, 60_000);

  it('gives up connecting to a host that stays silent after connectTimeoutMs, as "database unavailable"', async () => {
    const sockets: Socket[] = [];
    const silent = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const db = new PostgresClient({
      connectionString: `postgres://postgres@127.0.0.1:${(silent.address() as AddressInfo).port}/postgres`,
      connectTimeoutMs: 300,
    });
    try {
      const error = await db.query('SELECT 1').then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isDatabaseUnavailable(error)).toBe(true);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((r) => silent.close(r));
      await db.close().catch(() => undefined);
    }
  });
});
