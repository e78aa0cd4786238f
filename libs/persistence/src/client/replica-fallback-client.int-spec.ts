import { freePort } from '../../../../test/support/ports';
import { createPostgresDatabase } from '../test-support/databases';
import { PostgresClient } from './postgres-client';
import { ReplicaFallbackClient, type ReplicaState } from './replica-fallback-client';
import type { SqlClient } from './sql-client';

/**
 * The fallback on real PostgreSQL connections: two databases stand for the replica and the primary
 * (each says which it is), and a port nothing listens on for a replica that is down. What a real
 * streaming replica adds (lag, pg_basebackup) is in test/read-replica.e2e-spec.ts.
 */
describe('ReplicaFallbackClient', () => {
  const databases: Array<{ url: string; drop: () => Promise<void> }> = [];
  const clients: SqlClient[] = [];
  let replicaDb: PostgresClient;
  let primaryDb: PostgresClient;
  let deadReplica: PostgresClient;

  beforeAll(async () => {
    databases.push(await createPostgresDatabase({ empty: true }), await createPostgresDatabase({ empty: true }));
    replicaDb = new PostgresClient({ connectionString: databases[0].url, max: 2 });
    primaryDb = new PostgresClient({ connectionString: databases[1].url, max: 2 });
    deadReplica = new PostgresClient({ connectionString: `postgres://postgres@127.0.0.1:${await freePort()}/postgres`, max: 2, connectTimeoutMs: 1000 });
    clients.push(replicaDb, primaryDb, deadReplica);
    await replicaDb.exec("CREATE TABLE who (name text); INSERT INTO who VALUES ('replica')");
    await primaryDb.exec("CREATE TABLE who (name text); INSERT INTO who VALUES ('primary')");
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
    await Promise.all(databases.map((d) => d.drop()));
  });

  /** A replica that is up or down as the test says; counts the reads it was asked for. */
  function switchableReplica() {
    const replica = { down: false, asked: 0 };
    const target = () => (replica.down ? deadReplica : replicaDb);
    const client: SqlClient = {
      driver: 'postgres',
      query: (text, params) => (replica.asked++, target().query(text, params)),
      transaction: (work, options) => (replica.asked++, target().transaction(work, options)),
      exec: (script) => target().exec(script),
      ping: () => target().ping(),
      close: async () => undefined,
    };
    return { replica, client };
  }
  const who = (db: SqlClient) => db.query<{ name: string }>('SELECT name FROM who').then((r) => r.rows[0].name);

  it('reads the replica while it answers, and says so', async () => {
    const { client } = switchableReplica();
    const reads = new ReplicaFallbackClient(client, primaryDb);
    expect(await reads.track(() => who(reads))).toEqual({ value: 'replica', source: 'replica' });
    expect(await reads.track(() => reads.transaction((tx) => tx.query<{ name: string }>('SELECT name FROM who')).then((r) => r.rows[0].name))).toEqual({
      value: 'replica',
      source: 'replica',
    });
  });

  it('falls back to the primary while the replica is down, leaves it alone for a while, then goes back to it', async () => {
    const { replica, client } = switchableReplica();
    const switches: ReplicaState[] = [];
    const reads = new ReplicaFallbackClient(client, primaryDb, { retryAfterMs: 300, onSwitch: (state) => switches.push(state) });

    replica.down = true;
    expect(await reads.track(() => who(reads))).toEqual({ value: 'primary', source: 'primary' });
    expect(reads.replicaState).toMatchObject({ up: false, error: expect.stringMatching(/ECONNREFUSED|connect/) });
    // Within the retry window the replica is not asked: no read waits for its connection to fail.
    const askedBefore = replica.asked;
    expect(await reads.track(() => who(reads))).toEqual({ value: 'primary', source: 'primary' });
    expect(replica.asked).toBe(askedBefore);

    replica.down = false;
    await new Promise((r) => setTimeout(r, 350));
    expect(await reads.track(() => who(reads))).toEqual({ value: 'replica', source: 'replica' });
    expect(switches.map((s) => s.up)).toEqual([false, true]);
  });

  it('does not run a statement the replica refused on the primary', async () => {
    const { client } = switchableReplica();
    const primaryAsked = jest.spyOn(primaryDb, 'query');
    const reads = new ReplicaFallbackClient(client, primaryDb);
    await expect(reads.query('SELECT no_such_column FROM who')).rejects.toMatchObject({ code: '42703' });
    expect(primaryAsked).not.toHaveBeenCalled();
    expect(reads.replicaState).toEqual({ up: true });
    primaryAsked.mockRestore();
  });

  it('refuses to measure lag on a server that is not a replica', async () => {
    const reads = new ReplicaFallbackClient(replicaDb, primaryDb);
    await expect(reads.lag()).rejects.toThrow(/not a replica in recovery/);
  });
});
