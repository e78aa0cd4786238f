/**
 * A table kept in daily RANGE partitions on one timestamptz column (docs/storage.md#partitions).
 * The primary key of a partitioned table must include the partition column, so it becomes
 * `(key, column)`; the key alone is then unique only per partition.
 */
export interface TimePartitionedTable {
  /** The table (the partitioned parent once converted). */
  table: string;
  /** The timestamptz column the partitions are ranges of. */
  column: string;
  /** The primary key's columns before partitioning; the time column is appended to them. */
  key: readonly string[];
}

/**
 * Clicks are partitioned by their creation time. Their id carries the same millisecond (libs/core
 * click-id), which is how a lookup by id can name the partition it needs (ClickRepository.get).
 */
export const CLICKS: TimePartitionedTable = { table: 'clicks', column: 'created_at', key: ['id'] };

/** Daily partitions exist this many UTC days ahead of today; past them, rows land in the DEFAULT partition. */
export const PARTITION_DAYS_AHEAD = 7;

/**
 * A table with more rows than this is not converted at boot: the conversion builds an index and scans
 * the table, which would hold start-up for long. `npm run db:partition` converts it (online on PostgreSQL).
 */
export const BOOT_CONVERSION_MAX_ROWS = 100_000;
