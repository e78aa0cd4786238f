import type { SqlClient, SqlExecutor } from '../client/sql-client';
import { PARTITION_DAYS_AHEAD, type TimePartitionedTable } from './partitioned-tables';

const DAY_MS = 86_400_000;
/** Serialises partition maintenance across processes (trackers and workers booting at once). */
export const PARTITION_LOCK_KEY = 0x70617274; // "part"
/**
 * How long partition DDL waits for its lock. DETACH (and ATTACH's hold on the default partition) must
 * wait for running queries on the table, and while it waits every insert queues behind it: a long
 * report would stall clicks. Past this the pass gives up (SQLSTATE 55P03) and the next one tries again.
 */
export const PARTITION_LOCK_TIMEOUT = '3s';
/** Rows deleted per statement where a DELETE is still needed (the legacy and default partitions). */
const DELETE_CHUNK = 10_000;

export interface PartitionInfo {
  name: string;
  isDefault: boolean;
  /** Inclusive; null for MINVALUE (the legacy partition of a converted table). */
  from: Date | null;
  /** Exclusive; null for the default partition. */
  to: Date | null;
}

export interface RetentionResult {
  /** Partitions detached and dropped whole. */
  dropped: string[];
  /** Rows deleted one by one from the partitions that straddle the line (the legacy and the default one). */
  deleted: number;
}

/** A partition DDL statement gave up waiting for its lock (PARTITION_LOCK_TIMEOUT); the next pass retries. */
export const isLockTimeout = (error: unknown): boolean => (error as { code?: string } | null)?.code === '55P03';

export const startOfUtcDay = (at: Date): Date => new Date(Math.floor(at.getTime() / DAY_MS) * DAY_MS);

/** `clicks_p20261207`: the partition of one UTC day. */
export const dayPartitionName = (table: string, day: Date): string => `${table}_p${day.toISOString().slice(0, 10).replaceAll('-', '')}`;
export const defaultPartitionName = (table: string): string => `${table}_default`;
export const legacyPartitionName = (table: string): string => `${table}_legacy`;

const quoteIdent = (name: string): string => {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`unexpected identifier ${name}`);
  return `"${name}"`;
};
export const ident = quoteIdent;

/** Whether `table` is a partitioned parent (false: a plain table, not converted yet, or none). */
export async function isPartitionedTable(db: SqlExecutor, table: string): Promise<boolean> {
  const { rows } = await db.query<{ kind: string }>(`SELECT relkind::text AS kind FROM pg_class WHERE oid = to_regclass($1)`, [table]);
  return rows[0]?.kind === 'p';
}

/**
 * Keeps a time-partitioned table's daily partitions: creates them ahead of time, and retention
 * drops whole partitions (DETACH, then DROP) instead of deleting row by row. Rows outside every
 * daily partition (far past or future) land in the DEFAULT partition, so an insert never fails for
 * want of a partition.
 */
export class TimePartitions {
  constructor(
    private readonly db: SqlClient,
    readonly spec: TimePartitionedTable,
  ) {}

  /** Whether the table is a partitioned parent (false: a plain table, not converted yet). */
  async isPartitioned(db: SqlExecutor = this.db): Promise<boolean> {
    return isPartitionedTable(db, this.spec.table);
  }

  async list(db: SqlExecutor = this.db): Promise<PartitionInfo[]> {
    // The bounds are read back from PostgreSQL's own rendering of them, cast in the same session.
    const bound = (i: number) => `CASE WHEN m[${i}] LIKE '''%' THEN trim(BOTH '''' FROM m[${i}])::timestamptz END`;
    const { rows } = await db.query<{ name: string; is_default: boolean; lo: Date | null; hi: Date | null }>(
      `SELECT c.relname AS name, pg_get_expr(c.relpartbound, c.oid) = 'DEFAULT' AS is_default, ${bound(1)} AS lo, ${bound(2)} AS hi
       FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
       LEFT JOIN LATERAL regexp_match(pg_get_expr(c.relpartbound, c.oid), 'FROM \\((.+)\\) TO \\((.+)\\)') AS m ON true
       WHERE i.inhparent = to_regclass($1)
       ORDER BY lo NULLS FIRST`,
      [this.spec.table],
    );
    return rows.map((r) => ({ name: r.name, isDefault: r.is_default, from: r.lo, to: r.hi }));
  }

  /**
   * Creates the daily partitions from today (UTC) to `daysAhead` days ahead that no partition covers
   * yet, and the default partition. Rows already in the default partition for such a day move into
   * the new partition in the same transaction. Returns the partitions created.
   */
  async ensureAhead(now = new Date(), daysAhead = PARTITION_DAYS_AHEAD): Promise<string[]> {
    const { table, column } = this.spec;
    return this.db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [PARTITION_LOCK_KEY]);
      await tx.query(`SET LOCAL lock_timeout = '${PARTITION_LOCK_TIMEOUT}'`);
      if (!(await this.isPartitioned(tx))) return [];
      const existing = await this.list(tx);
      const created: string[] = [];
      const hasDefault = existing.some((p) => p.isDefault);
      const columns = await this.columns(tx);
      const today = startOfUtcDay(now).getTime();
      let writesHeld = false;
      for (let d = 0; d <= daysAhead; d++) {
        const from = new Date(today + d * DAY_MS);
        const to = new Date(from.getTime() + DAY_MS);
        const covered = existing.some((p) => !p.isDefault && (p.from === null || p.from < to) && (p.to === null || p.to > from));
        if (covered) continue;
        // Writes wait (reads do not) from here to the commit: a row routed to the default partition between the
        // move and the ATTACH would make the ATTACH fail, and one routed there before the ATTACH but stored after
        // it would fail itself. Under steady writes (the postback log right after its conversion) both happen.
        if (hasDefault && !writesHeld) {
          await tx.query(`LOCK TABLE ${ident(table)} IN EXCLUSIVE MODE`);
          writesHeld = true;
        }
        const name = dayPartitionName(table, from);
        // Made apart and attached, so rows the default partition took for this day can move in first.
        await tx.query(`CREATE TABLE ${ident(name)} (LIKE ${ident(table)} INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING STORAGE)`);
        if (hasDefault) {
          const list = columns.map(ident).join(', ');
          await tx.query(
            `WITH moved AS (DELETE FROM ${ident(defaultPartitionName(table))} WHERE ${ident(column)} >= $1 AND ${ident(column)} < $2 RETURNING ${list})
             INSERT INTO ${ident(name)} (${list}) SELECT ${list} FROM moved`,
            [from, to],
          );
        }
        await tx.query(`ALTER TABLE ${ident(table)} ATTACH PARTITION ${ident(name)} FOR VALUES FROM ('${from.toISOString()}') TO ('${to.toISOString()}')`);
        created.push(name);
      }
      if (!hasDefault) {
        await tx.query(`CREATE TABLE ${ident(defaultPartitionName(table))} PARTITION OF ${ident(table)} DEFAULT`);
        created.push(defaultPartitionName(table));
      }
      return created;
    });
  }

  /**
   * Retention: partitions wholly before `cutoff` are detached and dropped. Daily partitions that
   * straddle the line are kept whole until they are wholly past it (rows stay at most a day longer);
   * the legacy partition (a converted table's old rows) and the default partition have no such
   * bound, so their rows before the line are deleted in chunks.
   */
  async dropBefore(cutoff: Date, maxChunks = 50): Promise<RetentionResult> {
    const { table, column } = this.spec;
    const { dropped, straddling } = await this.db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [PARTITION_LOCK_KEY]);
      await tx.query(`SET LOCAL lock_timeout = '${PARTITION_LOCK_TIMEOUT}'`);
      if (!(await this.isPartitioned(tx))) return { dropped: [], straddling: [] };
      const partitions = await this.list(tx);
      const gone = partitions.filter((p) => !p.isDefault && p.to !== null && p.to <= cutoff);
      for (const p of gone) {
        await tx.query(`ALTER TABLE ${ident(table)} DETACH PARTITION ${ident(p.name)}`);
        await tx.query(`DROP TABLE ${ident(p.name)}`);
      }
      const rest = partitions.filter((p) => !gone.includes(p) && (p.isDefault || p.from === null) && (p.from === null || p.from < cutoff));
      return { dropped: gone.map((p) => p.name), straddling: rest.map((p) => p.name) };
    });
    let deleted = 0;
    for (const name of straddling) {
      for (let i = 0; i < maxChunks; i++) {
        const { rows } = await this.db.query<{ n: number }>(
          `WITH gone AS (DELETE FROM ${ident(name)} WHERE ctid = ANY (ARRAY(SELECT ctid FROM ${ident(name)} WHERE ${ident(column)} < $1 LIMIT ${DELETE_CHUNK})) RETURNING 1)
           SELECT count(*)::int AS n FROM gone`,
          [cutoff],
        );
        deleted += rows[0].n;
        if (rows[0].n < DELETE_CHUNK) break;
      }
    }
    return { dropped, deleted };
  }

  private async columns(db: SqlExecutor): Promise<string[]> {
    const { rows } = await db.query<{ name: string }>(
      `SELECT attname AS name FROM pg_attribute WHERE attrelid = to_regclass($1) AND attnum > 0 AND NOT attisdropped ORDER BY attnum`,
      [this.spec.table],
    );
    return rows.map((r) => r.name);
  }
}
