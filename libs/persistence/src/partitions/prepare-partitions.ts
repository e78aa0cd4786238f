import type { SqlClient } from '../client/sql-client';
import { PARTITIONED_HISTORY, type PartitionedHistory } from './partitioned-history';
import { BOOT_CONVERSION_MAX_ROWS } from './partitioned-tables';
import { isLockTimeout, TimePartitions } from './time-partitions';

export interface PartitionsPrepared {
  /** Tables converted now (new installs: every one, while still empty). */
  converted: string[];
  /** Daily and default partitions created. */
  created: string[];
  /** Tables whose partitions ahead were not made this time: queries held the table past the lock timeout. */
  busy: string[];
  /** Tables left plain because they hold too many rows to convert at boot: `npm run db:partition` does it. */
  unpartitioned: string[];
}

/**
 * Runs after the migrations at every boot (and in the test templates): converts the history tables
 * that are still plain and small, and creates the partitions of the days ahead. A large plain table
 * is left as it is (retention then deletes in chunks, as before) and named, for the operator.
 */
export async function preparePartitions(
  db: SqlClient,
  options: { now?: Date; maxRowsToConvert?: number; tables?: readonly PartitionedHistory[] } = {},
): Promise<PartitionsPrepared> {
  const prepared: PartitionsPrepared = { converted: [], created: [], busy: [], unpartitioned: [] };
  const limit = options.maxRowsToConvert ?? BOOT_CONVERSION_MAX_ROWS;
  for (const history of options.tables ?? PARTITIONED_HISTORY) {
    if (!(await history.isPartitioned(db))) {
      const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM (SELECT 1 FROM ${history.table} LIMIT ${limit + 1}) r`);
      if (rows[0].n > limit) {
        prepared.unpartitioned.push(history.table);
        continue;
      }
      await history.convert(db, { online: false, now: options.now });
      prepared.converted.push(history.table);
    }
    try {
      prepared.created.push(...(await new TimePartitions(db, history.days).ensureAhead(options.now)));
    } catch (error) {
      // The week ahead (and the default partition) leave time: the next pass makes them.
      if (!isLockTimeout(error)) throw error;
      prepared.busy.push(history.table);
    }
  }
  return prepared;
}
