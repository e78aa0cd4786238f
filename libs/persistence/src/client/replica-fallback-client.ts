import { AsyncLocalStorage } from 'node:async_hooks';
import { isDatabaseUnavailable } from './database-unavailable';
import type { SqlClient, SqlExecutor, SqlResult, TransactionOptions } from './sql-client';

/** Which database answered a read. */
export type ReadSource = 'replica' | 'primary';

/** How far a streaming replica is behind its primary. */
export interface ReplicaLag {
  /**
   * Seconds since the last transaction the replica replayed was committed on the primary; 0 when it
   * has replayed everything it received (an idle primary sends nothing, which is no lag).
   */
  seconds: number;
  /** WAL the primary wrote that the replica has not replayed yet. */
  bytes: number;
}

/** The replica as last seen: answering, or down since a time with the error it gave. */
export type ReplicaState = { up: true } | { up: false; since: Date; error: string };

export interface ReplicaFallbackOptions {
  /** After the replica failed, reads go to the primary for this long before the replica is tried again. */
  retryAfterMs?: number;
  /** Called once when reads move to the primary, and once when they are back on the replica. */
  onSwitch?: (state: ReplicaState) => void;
}

/**
 * SQL errors that mean "this replica cannot answer this now", where the primary can: 40001 with a
 * recovery conflict (the replica cancelled the query to apply WAL that removes rows it read).
 */
function isRecoveryConflict(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return code === '40001' && typeof message === 'string' && message.includes('conflict with recovery');
}

/**
 * A read-only SqlClient over a streaming read replica that falls back to the primary: while the
 * replica cannot be reached (or cancels a read for a recovery conflict), the read runs on the primary
 * instead, and for `retryAfterMs` after a failure the replica is not asked at all, so reads do not each
 * wait for its connection timeout. {@link track} tells which of the two answered a piece of work.
 *
 * Only for reads: writes to a replica fail (it is read-only), and a write must never be retried.
 */
export class ReplicaFallbackClient implements SqlClient {
  readonly driver = 'postgres' as const;
  private state: ReplicaState = { up: true };
  private retryAt = 0;
  private readonly retryAfterMs: number;
  private readonly onSwitch: (state: ReplicaState) => void;
  /** The sources that answered inside the current {@link track} call. */
  private readonly answered = new AsyncLocalStorage<Set<ReadSource>>();

  constructor(
    private readonly replica: SqlClient,
    private readonly primary: SqlClient,
    options: ReplicaFallbackOptions = {},
  ) {
    this.retryAfterMs = options.retryAfterMs ?? 5000;
    this.onSwitch = options.onSwitch ?? (() => undefined);
  }

  /** The replica as last seen by a read. */
  get replicaState(): ReplicaState {
    return this.state;
  }

  /**
   * Runs `work` (reads through this client) and says who answered: `primary` if any of its reads
   * fell back to the primary, `replica` otherwise.
   */
  async track<T>(work: () => Promise<T>): Promise<{ value: T; source: ReadSource }> {
    const answered = new Set<ReadSource>();
    const value = await this.answered.run(answered, work);
    return { value, source: answered.has('primary') || (answered.size === 0 && !this.state.up) ? 'primary' : 'replica' };
  }

  query<T = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<SqlResult<T>> {
    return this.read((db) => db.query<T>(text, params));
  }

  transaction<T>(work: (tx: SqlExecutor) => Promise<T>, options?: TransactionOptions): Promise<T> {
    // Read-only work: run again from the start on the primary if the replica failed part-way.
    return this.read((db) => db.transaction(work, options));
  }

  exec(script: string): Promise<void> {
    return this.read((db) => db.exec(script));
  }

  /** The replica's liveness (what health reports about it). */
  async ping(): Promise<void> {
    await this.replica.ping();
  }

  /**
   * How far the replica is behind, asked of both servers. Throws when either does not answer, or
   * when the replica is not in recovery (it was promoted, or the URL names a primary).
   */
  async lag(): Promise<ReplicaLag> {
    const { rows } = await this.replica.query<{ in_recovery: boolean; seconds: number | null; replayed: string | null }>(
      `SELECT pg_is_in_recovery() AS in_recovery,
              CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
                   ELSE EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp())::float8 END AS seconds,
              pg_last_wal_replay_lsn()::text AS replayed`,
    );
    const [replica] = rows;
    if (!replica.in_recovery) throw new Error('REPORTS_DATABASE_URL is not a replica in recovery (promoted, or a primary)');
    const behind = await this.primary.query<{ bytes: string | null }>('SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), $1::pg_lsn)::text AS bytes', [
      replica.replayed,
    ]);
    return { seconds: Math.max(0, replica.seconds ?? 0), bytes: Math.max(0, Number(behind.rows[0].bytes ?? 0)) };
  }

  async close(): Promise<void> {
    await Promise.all([this.replica.close(), this.primary.close()]);
  }

  private async read<T>(run: (db: SqlClient) => Promise<T>): Promise<T> {
    if (this.state.up || Date.now() >= this.retryAt) {
      try {
        const result = await run(this.replica);
        this.markUp();
        this.answered.getStore()?.add('replica');
        return result;
      } catch (error) {
        const unavailable = isDatabaseUnavailable(error);
        if (!unavailable && !isRecoveryConflict(error)) throw error;
        if (unavailable) this.markDown(error as Error);
      }
    }
    const result = await run(this.primary);
    this.answered.getStore()?.add('primary');
    return result;
  }

  private markUp(): void {
    if (this.state.up) return;
    this.state = { up: true };
    this.onSwitch(this.state);
  }

  private markDown(error: Error): void {
    this.retryAt = Date.now() + this.retryAfterMs;
    if (!this.state.up) return;
    this.state = { up: false, since: new Date(), error: error.message };
    this.onSwitch(this.state);
  }
}
