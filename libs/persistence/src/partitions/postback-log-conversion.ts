import type { SqlClient, SqlExecutor } from '../client/sql-client';
import { carriedOver, type ConversionResult } from './partition-conversion';
import { POSTBACK_LOG, POSTBACK_LOG_CURRENT, POSTBACK_LOG_EXPIRING, POSTBACK_LOG_KEPT, POSTBACK_LOG_LEGACY } from './postback-log-partitions';
import {
  defaultPartitionName,
  ident,
  isLockTimeout,
  isPartitionedTable,
  PARTITION_LOCK_KEY,
  PARTITION_LOCK_TIMEOUT,
  startOfUtcDay,
  TimePartitions,
} from './time-partitions';

const DAY_MS = 86_400_000;
const SWAP_ATTEMPTS = 10;
/** The unique index the legacy partition's primary key (id, expires, received_at) takes over, built before the swap. */
const LEGACY_KEY = `${POSTBACK_LOG_LEGACY}_key`;
const LEGACY_BOUND = `${POSTBACK_LOG_LEGACY}_bound`;
const KEY_COLUMNS = ['id', 'expires', 'received_at'];
/** Migration 029's rule; validated before the swap, since a partition must carry its parent's constraints validated. */
const EXPIRES_RULE = 'postbacks_expires_rule';
/**
 * Migration 008's partial index of the expiring rows. The new parent does without it: retention drops
 * days there, and on the expiring side it would be a second copy of `postbacks_received`. The legacy
 * partition keeps its own, for the DELETE in batches that remains there.
 */
const PARENT_LEAVES_OUT = ['postbacks_expiring'];

/**
 * Turns the plain postback log into partitions (postback-log-partitions.ts) without copying a row. An
 * empty log (a new install) simply becomes the LIST (expires) parent with its two sides. A log with rows
 * becomes a RANGE (received_at) parent: the old table is attached whole as `postbacks_legacy`, holding
 * everything before a cutover day (a UTC midnight at least a day ahead, as for clicks), and the rows from
 * the cutover on go to `postbacks_current`, split into the kept and the expiring side.
 *
 * What takes long on a large log is done first, beside a running Postwire when `online` (PostgreSQL):
 * validating the expires rule and a CHECK proving the legacy bound (so ATTACH need not scan), and building
 * the unique index of the new key CONCURRENTLY. The swap is a short transaction of catalog changes.
 */
export async function convertPostbackLog(db: SqlClient, options: { online: boolean; now?: Date }): Promise<ConversionResult> {
  if (await isPartitionedLog(db)) return { table: POSTBACK_LOG, already: true, legacy: false, rows: 0 };
  const now = options.now ?? new Date();
  const stats = await db.query<{ rows: number; latest: Date | null }>(`SELECT count(*)::int AS rows, max(received_at) AS latest FROM ${POSTBACK_LOG}`);
  const { rows, latest } = stats.rows[0];
  // A UTC midnight at least a day ahead, so the NOT VALID check (which new rows must already meet) holds for every row written before the swap.
  const cutover = new Date(Math.max(startOfUtcDay(now).getTime() + 2 * DAY_MS, latest ? startOfUtcDay(latest).getTime() + DAY_MS : 0));
  const legacy = rows > 0;

  const prepare = async (q: SqlExecutor, concurrently: boolean) => {
    await q.query(`ALTER TABLE ${POSTBACK_LOG} VALIDATE CONSTRAINT ${EXPIRES_RULE}`);
    // Leftovers of an interrupted run (an index CONCURRENTLY left invalid, say) are made again.
    await q.query(`DROP INDEX ${concurrently ? 'CONCURRENTLY ' : ''}IF EXISTS ${LEGACY_KEY}`);
    await q.query(`ALTER TABLE ${POSTBACK_LOG} DROP CONSTRAINT IF EXISTS ${LEGACY_BOUND}`);
    await q.query(`ALTER TABLE ${POSTBACK_LOG} ADD CONSTRAINT ${LEGACY_BOUND} CHECK (received_at < '${cutover.toISOString()}') NOT VALID`);
    await q.query(`ALTER TABLE ${POSTBACK_LOG} VALIDATE CONSTRAINT ${LEGACY_BOUND}`);
    await q.query(`CREATE UNIQUE INDEX ${concurrently ? 'CONCURRENTLY ' : ''}${LEGACY_KEY} ON ${POSTBACK_LOG} (${KEY_COLUMNS.join(', ')})`);
  };
  if (legacy && options.online) await prepare(db, true);

  for (let attempt = 1; ; attempt++) {
    try {
      await db.transaction((tx) => swapIn(tx, { legacy, online: options.online, prepare, cutover }));
      break;
    } catch (error) {
      // A long query on the log (an export, say) held the table past the lock timeout: postbacks queue
      // behind a waiting swap, so it gives up and tries again rather than stall them.
      if (!isLockTimeout(error) || attempt >= SWAP_ATTEMPTS) throw error;
      await new Promise((resolve) => setTimeout(resolve, 1000 * attempt));
    }
  }
  await new TimePartitions(db, POSTBACK_LOG_EXPIRING).ensureAhead(now);
  return { table: POSTBACK_LOG, already: false, legacy, cutover: legacy ? cutover : undefined, rows };
}

/** Whether `postbacks` is the partitioned parent already (false: the plain log of before the conversion). */
export const isPartitionedLog = (db: SqlExecutor): Promise<boolean> => isPartitionedTable(db, POSTBACK_LOG);

async function swapIn(
  tx: SqlExecutor,
  o: { legacy: boolean; online: boolean; prepare: (q: SqlExecutor, concurrently: boolean) => Promise<void>; cutover: Date },
): Promise<void> {
  const log = ident(POSTBACK_LOG);
  await tx.query('SELECT pg_advisory_xact_lock($1)', [PARTITION_LOCK_KEY]);
  if (o.online) await tx.query(`SET LOCAL lock_timeout = '${PARTITION_LOCK_TIMEOUT}'`);
  await tx.query(`LOCK TABLE ${log} IN ACCESS EXCLUSIVE MODE`);
  // Another process (a tracker and a worker booting together on a new install) converted it first.
  if (await isPartitionedLog(tx)) return;
  if (o.legacy && !o.online) await o.prepare(tx, false);
  if (!o.legacy && (await tx.query(`SELECT 1 FROM ${log} LIMIT 1`)).rows.length)
    throw new Error(`${POSTBACK_LOG} received rows while it was converted; run the conversion again`);

  const { indexes, foreignKeys, primaryKey, pkName } = await carriedOver(tx, POSTBACK_LOG, LEGACY_KEY);

  const old = o.legacy ? POSTBACK_LOG_LEGACY : `${POSTBACK_LOG}_unpartitioned`;
  await tx.query(`ALTER TABLE ${log} RENAME TO ${ident(old)}`);
  // The old indexes give their names up to the parent's, so later migrations find them by the names they always had.
  for (const index of [...indexes.rows.map((r) => r.name), ...primaryKey.rows.map((r) => r.index)])
    await tx.query(`ALTER INDEX ${ident(index)} RENAME TO ${ident(legacyName(index))}`);

  const partitionedBy = o.legacy ? 'RANGE (received_at)' : 'LIST (expires)';
  await tx.query(
    `CREATE TABLE ${log} (LIKE ${ident(old)} INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING STORAGE INCLUDING COMMENTS) PARTITION BY ${partitionedBy}`,
  );
  if (o.legacy) await tx.query(`ALTER TABLE ${log} DROP CONSTRAINT ${LEGACY_BOUND}`);
  await tx.query(`ALTER TABLE ${log} ADD CONSTRAINT ${ident(pkName)} PRIMARY KEY (${KEY_COLUMNS.join(', ')})`);
  for (const index of indexes.rows.filter((i) => !PARENT_LEAVES_OUT.includes(i.name))) await tx.query(index.def);
  for (const fk of foreignKeys.rows) await tx.query(`ALTER TABLE ${log} ADD CONSTRAINT ${ident(fk.name)} ${fk.def}`);

  // The two sides: under the parent itself, or (converted) under the rows from the cutover on.
  let sides = log;
  if (o.legacy) {
    sides = ident(POSTBACK_LOG_CURRENT);
    await tx.query(`CREATE TABLE ${sides} PARTITION OF ${log} FOR VALUES FROM ('${o.cutover.toISOString()}') TO (MAXVALUE) PARTITION BY LIST (expires)`);
  }
  await tx.query(`CREATE TABLE ${ident(POSTBACK_LOG_KEPT)} PARTITION OF ${sides} FOR VALUES IN (false)`);
  const expiring = ident(POSTBACK_LOG_EXPIRING.table);
  await tx.query(`CREATE TABLE ${expiring} PARTITION OF ${sides} FOR VALUES IN (true) PARTITION BY RANGE (${ident(POSTBACK_LOG_EXPIRING.column)})`);
  await tx.query(`CREATE TABLE ${ident(defaultPartitionName(POSTBACK_LOG_EXPIRING.table))} PARTITION OF ${expiring} DEFAULT`);

  if (o.legacy) {
    // The legacy partition's key becomes (id, expires, received_at), backed by the index built beforehand;
    // the validated bound spares ATTACH its scan. Renaming the old key's index renamed its constraint too.
    const legacy = ident(POSTBACK_LOG_LEGACY);
    if (primaryKey.rows[0]) await tx.query(`ALTER TABLE ${legacy} DROP CONSTRAINT ${ident(legacyName(primaryKey.rows[0].index))}`);
    await tx.query(`ALTER TABLE ${legacy} ADD CONSTRAINT ${ident(LEGACY_KEY)} PRIMARY KEY USING INDEX ${ident(LEGACY_KEY)}`);
    await tx.query(`ALTER TABLE ${log} ATTACH PARTITION ${legacy} FOR VALUES FROM (MINVALUE) TO ('${o.cutover.toISOString()}')`);
  } else {
    await tx.query(`DROP TABLE ${ident(old)}`);
  }
}

/** `postbacks_click` → `postbacks_legacy_click`: the old table's index names, freed for the parent's. */
function legacyName(index: string): string {
  return (index.startsWith(`${POSTBACK_LOG}_`) ? `${POSTBACK_LOG_LEGACY}_${index.slice(POSTBACK_LOG.length + 1)}` : `${index}_legacy`).slice(0, 63);
}
