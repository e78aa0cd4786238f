import type { SqlClient, SqlExecutor } from '../client/sql-client';
import type { ConversionResult } from './partition-conversion';
import { POSTBACK_LOG, POSTBACK_LOG_EXPIRING, POSTBACK_LOG_KEPT, postbackExpiresSql } from './postback-log-partitions';
import { defaultPartitionName, ident, isLockTimeout, isPartitionedTable, PARTITION_LOCK_KEY, PARTITION_LOCK_TIMEOUT, TimePartitions } from './time-partitions';

const SWAP_ATTEMPTS = 10;
/** The unique index the kept partition's primary key (id, expires, received_at) takes over, built before the swap. */
const KEPT_KEY = `${POSTBACK_LOG_KEPT}_key`;
const KEY_COLUMNS = ['id', 'expires', 'received_at'];
/** Migration 029's rule; validated before the swap, since a partition must carry its parent's constraints validated. */
const EXPIRES_RULE = 'postbacks_expires_rule';
/**
 * Migration 008's partial index of the expiring rows, made for the DELETE that retention no longer needs:
 * on the kept side it would be empty, on the expiring side a second copy of `postbacks_received`.
 */
const DROPPED_INDEXES = ['postbacks_expiring'];

/**
 * Turns the plain postback log into LIST (expires) → RANGE (received_at) partitions
 * (postback-log-partitions.ts). The old table becomes the kept partition: its rows that book nothing
 * (at most the retention's worth: 30 days under the daily cap) move to the expiring side, every other
 * row stays where it is. What takes long on a large log is done first, beside a running Postwire when
 * `online` (PostgreSQL): validating the expires rule and building the unique index of the new key
 * CONCURRENTLY. The swap is one transaction; it moves the expiring rows and attaches the old table,
 * which scans it once under its lock (measured in docs/storage.md).
 */
export async function convertPostbackLog(db: SqlClient, options: { online: boolean; now?: Date }): Promise<ConversionResult> {
  const expiring = new TimePartitions(db, POSTBACK_LOG_EXPIRING);
  if (await isPartitionedLog(db)) return { table: POSTBACK_LOG, already: true, legacy: false, rows: 0 };
  const rows = (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${POSTBACK_LOG}`)).rows[0].n;

  const prepare = async (q: SqlExecutor, concurrently: boolean) => {
    await q.query(`ALTER TABLE ${POSTBACK_LOG} VALIDATE CONSTRAINT ${EXPIRES_RULE}`);
    // Leftovers of an interrupted run (an index CONCURRENTLY left invalid) are made again.
    await q.query(`DROP INDEX ${concurrently ? 'CONCURRENTLY ' : ''}IF EXISTS ${KEPT_KEY}`);
    await q.query(`CREATE UNIQUE INDEX ${concurrently ? 'CONCURRENTLY ' : ''}${KEPT_KEY} ON ${POSTBACK_LOG} (${KEY_COLUMNS.join(', ')})`);
  };
  if (options.online) await prepare(db, true);

  for (let attempt = 1; ; attempt++) {
    try {
      await db.transaction((tx) => swapIn(tx, options.online, prepare));
      break;
    } catch (error) {
      // A long query on the log (an export, say) held the table past the lock timeout: postbacks queue
      // behind a waiting swap, so it gives up and tries again rather than stall them.
      if (!isLockTimeout(error) || attempt >= SWAP_ATTEMPTS) throw error;
      await new Promise((resolve) => setTimeout(resolve, 1000 * attempt));
    }
  }
  await expiring.ensureAhead(options.now);
  return { table: POSTBACK_LOG, already: false, legacy: false, rows };
}

/** Whether `postbacks` is the partitioned parent already (false: the plain log of before migration 029's conversion). */
export const isPartitionedLog = (db: SqlExecutor): Promise<boolean> => isPartitionedTable(db, POSTBACK_LOG);

async function swapIn(tx: SqlExecutor, online: boolean, prepare: (q: SqlExecutor, concurrently: boolean) => Promise<void>): Promise<void> {
  const log = ident(POSTBACK_LOG);
  const kept = ident(POSTBACK_LOG_KEPT);
  const expiring = ident(POSTBACK_LOG_EXPIRING.table);
  await tx.query('SELECT pg_advisory_xact_lock($1)', [PARTITION_LOCK_KEY]);
  if (online) await tx.query(`SET LOCAL lock_timeout = '${PARTITION_LOCK_TIMEOUT}'`);
  await tx.query(`LOCK TABLE ${log} IN ACCESS EXCLUSIVE MODE`);
  // Another process (a tracker and a worker booting together on a new install) converted it first.
  if (await isPartitionedLog(tx)) return;
  if (!online) await prepare(tx, false);

  // What the new parent carries over: plain indexes (by their names), foreign keys, the primary key's name.
  const indexes = await tx.query<{ name: string; def: string }>(
    `SELECT i.relname AS name, pg_get_indexdef(i.oid) AS def
     FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
     WHERE x.indrelid = to_regclass($1) AND i.relname <> $2
       AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid AND k.conrelid = x.indrelid)`,
    [POSTBACK_LOG, KEPT_KEY],
  );
  const foreignKeys = await tx.query<{ name: string; def: string }>(
    `SELECT conname AS name, pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conrelid = to_regclass($1) AND contype = 'f'`,
    [POSTBACK_LOG],
  );
  const primaryKey = await tx.query<{ name: string; index: string }>(
    `SELECT k.conname AS name, i.relname AS index FROM pg_constraint k JOIN pg_class i ON i.oid = k.conindid WHERE k.conrelid = to_regclass($1) AND k.contype = 'p'`,
    [POSTBACK_LOG],
  );
  const pkName = primaryKey.rows[0]?.name ?? `${POSTBACK_LOG}_pkey`;
  const carried = indexes.rows.filter((i) => !DROPPED_INDEXES.includes(i.name));

  await tx.query(`ALTER TABLE ${log} RENAME TO ${kept}`);
  // The old indexes give their names up to the parent's, so later migrations find them by the names they always had.
  for (const index of [...indexes.rows.map((r) => r.name), ...primaryKey.rows.map((r) => r.index)])
    await tx.query(`ALTER INDEX ${ident(index)} RENAME TO ${ident(keptName(index))}`);

  await tx.query(
    `CREATE TABLE ${log} (LIKE ${kept} INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING STORAGE INCLUDING COMMENTS) PARTITION BY LIST (expires)`,
  );
  await tx.query(`ALTER TABLE ${log} ADD CONSTRAINT ${ident(pkName)} PRIMARY KEY (${KEY_COLUMNS.join(', ')})`);
  for (const index of carried) await tx.query(index.def);
  for (const fk of foreignKeys.rows) await tx.query(`ALTER TABLE ${log} ADD CONSTRAINT ${ident(fk.name)} ${fk.def}`);

  await tx.query(`CREATE TABLE ${expiring} PARTITION OF ${log} FOR VALUES IN (true) PARTITION BY RANGE (${ident(POSTBACK_LOG_EXPIRING.column)})`);
  await tx.query(`CREATE TABLE ${ident(defaultPartitionName(POSTBACK_LOG_EXPIRING.table))} PARTITION OF ${expiring} DEFAULT`);
  // The rows that book nothing go to the expiring side (its default partition; ensureAhead then moves
  // the days it makes). Named columns: the old table may have dropped ones the new parent does not.
  const columns = (
    await tx.query<{ name: string }>(
      `SELECT attname AS name FROM pg_attribute WHERE attrelid = to_regclass($1) AND attnum > 0 AND NOT attisdropped ORDER BY attnum`,
      [POSTBACK_LOG_KEPT],
    )
  ).rows
    .map((c) => ident(c.name))
    .join(', ');
  // The rule's own terms rather than `expires`, so the DELETE reads migration 008's partial index of exactly these rows.
  await tx.query(
    `WITH moved AS (DELETE FROM ${kept} WHERE ${postbackExpiresSql('outcome', 'conversion_id')} RETURNING ${columns})
     INSERT INTO ${expiring} (${columns}) SELECT ${columns} FROM moved`,
  );
  for (const index of DROPPED_INDEXES.filter((name) => indexes.rows.some((i) => i.name === name))) await tx.query(`DROP INDEX ${ident(keptName(index))}`);

  // The kept partition's key becomes (id, expires, received_at), backed by the index built beforehand.
  if (primaryKey.rows[0]) await tx.query(`ALTER TABLE ${kept} DROP CONSTRAINT ${ident(keptName(primaryKey.rows[0].index))}`);
  await tx.query(`ALTER TABLE ${kept} ADD CONSTRAINT ${ident(KEPT_KEY)} PRIMARY KEY USING INDEX ${ident(KEPT_KEY)}`);
  await tx.query(`ALTER TABLE ${log} ATTACH PARTITION ${kept} FOR VALUES IN (false)`);
}

/** `postbacks_click` → `postbacks_kept_click`: the old table's index names, freed for the parent's. */
function keptName(index: string): string {
  return (index.startsWith(`${POSTBACK_LOG}_`) ? `${POSTBACK_LOG_KEPT}_${index.slice(POSTBACK_LOG.length + 1)}` : `${index}_kept`).slice(0, 63);
}
