import type { SqlClient, SqlExecutor } from '../client/sql-client';
import { convertToPartitioned, type ConversionResult } from './partition-conversion';
import { CLICKS, type TimePartitionedTable } from './partitioned-tables';
import { convertPostbackLog, isPartitionedLog } from './postback-log-conversion';
import { POSTBACK_LOG, POSTBACK_LOG_EXPIRING } from './postback-log-partitions';
import { isPartitionedTable } from './time-partitions';

/**
 * A history table Postwire keeps in time partitions: how to tell whether it is converted yet, how to
 * convert it, and which table holds its daily partitions (made ahead by preparePartitions, dropped by
 * retention). For clicks that is the table itself; for the postback log, its expiring side.
 */
export interface PartitionedHistory {
  table: string;
  days: TimePartitionedTable;
  isPartitioned(db: SqlExecutor): Promise<boolean>;
  convert(db: SqlClient, options: { online: boolean; now?: Date }): Promise<ConversionResult>;
}

export const CLICK_HISTORY: PartitionedHistory = {
  table: CLICKS.table,
  days: CLICKS,
  isPartitioned: (db) => isPartitionedTable(db, CLICKS.table),
  convert: (db, options) => convertToPartitioned(db, CLICKS, options),
};

export const POSTBACK_LOG_HISTORY: PartitionedHistory = {
  table: POSTBACK_LOG,
  days: POSTBACK_LOG_EXPIRING,
  isPartitioned: isPartitionedLog,
  convert: convertPostbackLog,
};

/** Every history table in partitions, in the order boot and `npm run db:partition` convert them. */
export const PARTITIONED_HISTORY: readonly PartitionedHistory[] = [CLICK_HISTORY, POSTBACK_LOG_HISTORY];
