import type { SqlClient, SqlExecutor } from '../client/sql-client';
import type { TimePartitionedTable } from './partitioned-tables';
import {
  defaultPartitionName,
  ident,
  isLockTimeout,
  legacyPartitionName,
  PARTITION_LOCK_KEY,
  PARTITION_LOCK_TIMEOUT,
  startOfUtcDay,
  TimePartitions,
} from './time-partitions';

const DAY_MS = 86_400_000;
const SWAP_ATTEMPTS = 10;

export interface ConversionResult {
  table: string;
  /** Already partitioned: nothing was done. */
  already: boolean;
  /** The old rows became the legacy partition, holding everything before `cutover`. */
  legacy: boolean;
  cutover?: Date;
  rows: number;
}

/**
 * Turns a plain table into a partitioned one without copying a row. The old table becomes the
 * first partition (`<table>_legacy`, everything before a cutover day at least a day ahead), and
 * daily partitions follow it. What would take long is done before the swap: a CHECK constraint
 * proving the legacy partition's bound (so ATTACH need not scan) and the unique index on
 * (key, time column) a partitioned primary key needs. With `online` (PostgreSQL only) both are
 * built while clicks keep being written (VALIDATE CONSTRAINT and CREATE INDEX CONCURRENTLY); the
 * swap itself is a short transaction of catalog changes. An empty table is simply replaced.
 */
export async function convertToPartitioned(db: SqlClient, spec: TimePartitionedTable, options: { online: boolean; now?: Date }): Promise<ConversionResult> {
  const partitions = new TimePartitions(db, spec);
  const { table, column } = spec;
  if (await partitions.isPartitioned()) return { table, already: true, legacy: false, rows: 0 };
  const now = options.now ?? new Date();
  const stats = await db.query<{ rows: number; latest: Date | null }>(`SELECT count(*)::int AS rows, max(${ident(column)}) AS latest FROM ${ident(table)}`);
  const { rows, latest } = stats.rows[0];
  const bound = `${table}_legacy_bound`;
  const keyIndex = `${table}_legacy_key`;
  const keyColumns = [...spec.key, column].map(ident).join(', ');
  // The cutover is a UTC midnight at least a day ahead, so the NOT VALID check (which new rows must
  // already meet) holds for every row written before the swap.
  const cutover = new Date(Math.max(startOfUtcDay(now).getTime() + 2 * DAY_MS, latest ? startOfUtcDay(latest).getTime() + DAY_MS : 0));
  const legacy = rows > 0;

  const prepare = async (q: SqlExecutor, concurrently: boolean) => {
    // Leftovers of an interrupted run (an index CONCURRENTLY left invalid, say) are made again.
    await q.query(`DROP INDEX ${concurrently ? 'CONCURRENTLY ' : ''}IF EXISTS ${ident(keyIndex)}`);
    await q.query(`ALTER TABLE ${ident(table)} DROP CONSTRAINT IF EXISTS ${ident(bound)}`);
    await q.query(`ALTER TABLE ${ident(table)} ADD CONSTRAINT ${ident(bound)} CHECK (${ident(column)} < '${cutover.toISOString()}') NOT VALID`);
    await q.query(`ALTER TABLE ${ident(table)} VALIDATE CONSTRAINT ${ident(bound)}`);
    await q.query(`CREATE UNIQUE INDEX ${concurrently ? 'CONCURRENTLY ' : ''}${ident(keyIndex)} ON ${ident(table)} (${keyColumns})`);
  };
  if (legacy && options.online) await prepare(db, true);

  const swap = (tx: SqlExecutor) => swapIn(tx, { spec, legacy, online: options.online, prepare, cutover, bound, keyIndex, keyColumns });
  // The swap waits for queries on the table, and inserts queue behind it: it gives up after the lock
  // timeout (a long report running, say) and tries again, rather than stall clicks.
  for (let attempt = 1; ; attempt++) {
    try {
      await db.transaction(swap);
      break;
    } catch (error) {
      if (!isLockTimeout(error) || attempt >= SWAP_ATTEMPTS) throw error;
      await new Promise((resolve) => setTimeout(resolve, 1000 * attempt));
    }
  }
  await partitions.ensureAhead(now);
  return { table, already: false, legacy, cutover: legacy ? cutover : undefined, rows };
}

async function swapIn(
  tx: SqlExecutor,
  o: {
    spec: TimePartitionedTable;
    legacy: boolean;
    online: boolean;
    prepare: (q: SqlExecutor, concurrently: boolean) => Promise<void>;
    cutover: Date;
    bound: string;
    keyIndex: string;
    keyColumns: string;
  },
): Promise<void> {
  const { spec, legacy, prepare, cutover, bound, keyIndex, keyColumns } = o;
  const { table, column } = spec;
  await tx.query('SELECT pg_advisory_xact_lock($1)', [PARTITION_LOCK_KEY]);
  if (o.online) await tx.query(`SET LOCAL lock_timeout = '${PARTITION_LOCK_TIMEOUT}'`);
  await tx.query(`LOCK TABLE ${ident(table)} IN ACCESS EXCLUSIVE MODE`);
  // Another process (a tracker and a worker booting together on a new install) converted it first.
  const kind = await tx.query<{ kind: string }>(`SELECT relkind::text AS kind FROM pg_class WHERE oid = to_regclass($1)`, [table]);
  if (kind.rows[0]?.kind === 'p') return;
  if (legacy && !o.online) await prepare(tx, false);
  if (!legacy && (await tx.query(`SELECT 1 FROM ${ident(table)} LIMIT 1`)).rows.length)
    throw new Error(`${table} received rows while it was converted; run the conversion again`);

  const { indexes, foreignKeys, primaryKey, pkName } = await carriedOver(tx, table, keyIndex);

  const old = legacy ? legacyPartitionName(table) : `${table}_unpartitioned`;
  await tx.query(`ALTER TABLE ${ident(table)} RENAME TO ${ident(old)}`);
  // The old indexes give their names up to the parent's, so later migrations find them by the names they always had.
  for (const index of [...indexes.rows.map((r) => r.name), ...primaryKey.rows.map((r) => r.index)]) {
    await tx.query(`ALTER INDEX ${ident(index)} RENAME TO ${ident(legacyName(table, index))}`);
  }
  await tx.query(
    `CREATE TABLE ${ident(table)} (LIKE ${ident(old)} INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING STORAGE INCLUDING COMMENTS) PARTITION BY RANGE (${ident(column)})`,
  );
  if (legacy) await tx.query(`ALTER TABLE ${ident(table)} DROP CONSTRAINT ${ident(bound)}`);
  await tx.query(`ALTER TABLE ${ident(table)} ADD CONSTRAINT ${ident(pkName)} PRIMARY KEY (${keyColumns})`);
  for (const index of indexes.rows) await tx.query(index.def);
  for (const fk of foreignKeys.rows) await tx.query(`ALTER TABLE ${ident(table)} ADD CONSTRAINT ${ident(fk.name)} ${fk.def}`);

  if (legacy) {
    // The legacy partition's key becomes (key, time column), backed by the index built beforehand.
    // Renaming its index renamed the old key constraint too.
    if (primaryKey.rows[0]) await tx.query(`ALTER TABLE ${ident(old)} DROP CONSTRAINT ${ident(legacyName(table, primaryKey.rows[0].index))}`);
    await tx.query(`ALTER TABLE ${ident(old)} ADD CONSTRAINT ${ident(`${old}_key`)} PRIMARY KEY USING INDEX ${ident(keyIndex)}`);
    await tx.query(`ALTER TABLE ${ident(table)} ATTACH PARTITION ${ident(old)} FOR VALUES FROM (MINVALUE) TO ('${cutover.toISOString()}')`);
  } else {
    await tx.query(`DROP TABLE ${ident(old)}`);
  }
  await tx.query(`CREATE TABLE ${ident(defaultPartitionName(table))} PARTITION OF ${ident(table)} DEFAULT`);
}

/** `clicks_visitor` → `clicks_legacy_visitor`: the old table's index names, freed for the parent's. */
function legacyName(table: string, index: string): string {
  return (index.startsWith(`${table}_`) ? `${table}_legacy_${index.slice(table.length + 1)}` : `${index}_legacy`).slice(0, 63);
}

/**
 * What a partitioned parent must carry over from the plain table it replaces (read before the swap): its plain
 * indexes (by their names, `skipIndex` left out), its foreign keys, and its primary key's name and index.
 */
export async function carriedOver(tx: SqlExecutor, table: string, skipIndex: string) {
  const indexes = await tx.query<{ name: string; def: string }>(
    `SELECT i.relname AS name, pg_get_indexdef(i.oid) AS def
     FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
     WHERE x.indrelid = to_regclass($1) AND i.relname <> $2
       AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid AND k.conrelid = x.indrelid)`,
    [table, skipIndex],
  );
  const foreignKeys = await tx.query<{ name: string; def: string }>(
    `SELECT conname AS name, pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conrelid = to_regclass($1) AND contype = 'f'`,
    [table],
  );
  const primaryKey = await tx.query<{ name: string; index: string }>(
    `SELECT k.conname AS name, i.relname AS index FROM pg_constraint k JOIN pg_class i ON i.oid = k.conindid WHERE k.conrelid = to_regclass($1) AND k.contype = 'p'`,
    [table],
  );
  return { indexes, foreignKeys, primaryKey, pkName: primaryKey.rows[0]?.name ?? `${table}_pkey` };
}
