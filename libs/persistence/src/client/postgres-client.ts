import { Pool, types, type ClientBase, type PoolClient, type QueryConfig } from 'pg';
import type { SqlClient, SqlExecutor, SqlResult, TransactionOptions } from './sql-client';

// Keep `numeric` as exact strings (pg's default) and read int8 counts as numbers: no count here
// comes near 2^53, and strings for counts would leak into JSON answers.
types.setTypeParser(types.builtins.INT8, (v) => Number(v));

export interface PostgresClientOptions {
  connectionString: string;
  /** Pool size; a small pool per process is right for a 2-core host, more processes scale out. */
  max?: number;
  /** Server-side prepared statements for parameterised statements (default true); see {@link StatementNames}. */
  prepare?: boolean;
  /**
   * Told of every connection error (server restarted, network dropped), on idle and checked-out
   * clients alike; the process never exits for one. Default: nothing is reported.
   */
  onConnectionError?: (error: Error) => void;
  /**
   * A connection not made within this (default 10 s), or a pooled one not free by then, fails as
   * "database unavailable": a failover to a host that does not answer would otherwise hang every
   * caller for the operating system's TCP timeout (about two minutes).
   */
  connectTimeoutMs?: number;
  /**
   * Every statement of the pool running longer is cancelled by PostgreSQL itself (SQLSTATE 57014),
   * so a slow query stops using the server instead of being abandoned by the caller. Unset: no limit.
   */
  statementTimeoutMs?: number;
  /** Shown in pg_stat_activity, to tell this pool's sessions apart. */
  applicationName?: string;
  /** Server settings of every session of the pool (sent at connect, as `-c name=value`): e.g. the reports' `jit` and parallel workers. */
  sessionSettings?: Record<string, string | number>;
  /**
   * `false`: every session of the pool runs with PostgreSQL's JIT compilation off. Unset: the server's
   * setting. For pools of short statements, where compiling a plan costs more than running it: a click
   * batch of 500 rows is estimated past `jit_above_cost` and spent 2.0 s of its 2.2 s compiling, against
   * 0.11 s without (bench/NOTES.md). Set per session by a `SET` on connect rather than as a startup option,
   * which a pooler such as PgBouncer refuses.
   */
  jit?: false;
}

/** Distinct statement texts that get a prepared statement; texts beyond it run unnamed, so the count per connection stays bounded. */
const MAX_PREPARED = 500;

/**
 * SQLSTATEs after which a text is no longer prepared: 0A000 "cached plan must not change result
 * type" (a migration changed a `SELECT *` table under a running process), 26000/42P05 (a pooler
 * such as PgBouncer in transaction mode moved the session away from where it was prepared).
 */
const UNPREPARABLE = new Set(['0A000', '26000', '42P05']);

/**
 * Names for parameterised statements, so each connection parses and plans a statement once and
 * then only binds and executes it. On the postback path this halved PostgreSQL's CPU per
 * postback: parsing and planning the joins cost more than running them (bench/NOTES.md).
 */
class StatementNames {
  private readonly names = new Map<string, string | null>();

  constructor(private readonly enabled: boolean) {}

  config(text: string, params: readonly unknown[] | undefined): QueryConfig {
    const values = params as unknown[] | undefined;
    if (!this.enabled || !values?.length) return { text, values };
    let name = this.names.get(text);
    if (name === undefined) {
      name = this.names.size < MAX_PREPARED ? `pw_${this.names.size}` : null;
      this.names.set(text, name);
    }
    return name ? { text, values, name } : { text, values };
  }

  /** True when `error` means this text must run unnamed from now on. */
  giveUp(text: string, error: unknown): boolean {
    const code = (error as { code?: unknown })?.code;
    if (typeof code !== 'string' || !UNPREPARABLE.has(code) || !this.names.get(text)) return false;
    this.names.set(text, null);
    return true;
  }
}

export class PostgresClient implements SqlClient {
  readonly driver = 'postgres' as const;
  private readonly pool: Pool;
  private readonly statements: StatementNames;
  private readonly onConnectionError: (error: Error) => void;

  constructor(options: PostgresClientOptions) {
    this.pool = new Pool({
      connectionString: options.connectionString,
      max: options.max ?? 10,
      connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
      ...(options.statementTimeoutMs ? { statement_timeout: options.statementTimeoutMs } : {}),
      ...(options.applicationName ? { application_name: options.applicationName } : {}),
      ...(options.sessionSettings
        ? {
            options: Object.entries(options.sessionSettings)
              .map(([name, value]) => `-c ${name}=${value}`)
              .join(' '),
          }
        : {}),
      // Awaited by the pool before the connection is handed out, so the caller's statement follows it, not
      // queued behind it on a busy client (pg warns of that, and pg@9 drops it). A failed SET is ignored: the
      // session then runs with the server's setting, as it did before this option.
      ...(options.jit === false ? { onConnect: (client: ClientBase) => client.query('SET jit = off').then(noop, noop) } : {}),
    });
    this.statements = new StatementNames(options.prepare ?? true);
    this.onConnectionError = options.onConnectionError ?? (() => undefined);
    // An idle client losing its server: pg-pool has already removed it and opens a new one when needed.
    this.pool.on('error', (error) => this.onConnectionError(error));
  }

  async query<T>(text: string, params?: readonly unknown[]): Promise<SqlResult<T>> {
    let result;
    try {
      result = await this.pool.query(this.statements.config(text, params));
    } catch (error) {
      // Outside a transaction the statement can simply run again, unnamed.
      if (!this.statements.giveUp(text, error)) throw error;
      result = await this.pool.query(this.statements.config(text, params));
    }
    return { rows: result.rows as T[], rowCount: result.rowCount ?? 0 };
  }

  async transaction<T>(work: (tx: SqlExecutor) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    const client: PoolClient = await this.pool.connect();
    // pg-pool takes its own `error` listener off a client while it is checked out, and an `error`
    // event without a listener ends the process. The server can go away at any moment of the
    // transaction (between statements too, when no query would see the error), so the client is
    // listened to until it is released, and a client that failed goes back with its error so the
    // pool closes it instead of handing out a dead connection.
    let broken: Error | undefined;
    const onError = (error: Error) => {
      broken ??= error;
      this.onConnectionError(error);
    };
    client.on('error', onError);
    try {
      // One simple-protocol round trip for both: the setting lasts until COMMIT or ROLLBACK.
      await client.query(options.genericPlans ? 'BEGIN; SET LOCAL plan_cache_mode = force_generic_plan' : 'BEGIN');
      const tx: SqlExecutor = {
        query: async <R>(text: string, params?: readonly unknown[]) => {
          try {
            const r = await client.query(this.statements.config(text, params));
            return { rows: r.rows as R[], rowCount: r.rowCount ?? 0 };
          } catch (error) {
            // The transaction is aborted either way; the next one runs this text unnamed.
            this.statements.giveUp(text, error);
            throw error;
          }
        },
      };
      const result = await work(tx);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      // A client that cannot even roll back is in no known state: the pool must not reuse it.
      if (!broken) await client.query('ROLLBACK').catch((rollbackError: Error) => (broken ??= rollbackError));
      throw error;
    } finally {
      client.removeListener('error', onError);
      client.release(broken);
    }
  }

  async exec(script: string): Promise<void> {
    await this.pool.query(script);
  }

  async ping(): Promise<void> {
    await this.pool.query('SELECT 1');
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

function noop(): void {}
