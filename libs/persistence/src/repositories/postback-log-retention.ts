import type { SqlClient } from '../client/sql-client';
import { isPartitionedLog } from '../partitions/postback-log-conversion';
import { POSTBACK_LOG, POSTBACK_LOG_EXPIRING, POSTBACK_LOG_LEGACY, postbackExpiresSql } from '../partitions/postback-log-partitions';
import { TimePartitions } from '../partitions/time-partitions';

/** Rows deleted per statement, so one pass never holds a long lock or a huge transaction. */
const DELETE_BATCH = 5000;

export interface PostbackLogPruned {
  /** Daily partitions of the expiring side dropped whole. */
  dropped: string[];
  /** Rows deleted one by one: from the expiring side's default partition, a converted log's legacy partition, or a log not partitioned yet. */
  deleted: number;
}

/**
 * Removes postback-log rows that booked nothing (unattributed, pixel hits with an unknown click id
 * among them, rejected and refused, and the counters of refusals beyond the flood bound) once they are
 * older than the retention. Anyone can make such rows by sending made-up click ids, so they must not be
 * kept for ever; rows tied to a conversion are the conversion's history and are kept.
 *
 * On the partitioned log (postback-log-partitions.ts) the expiring rows have a side of their own, cut
 * into days: whole days past the line are dropped, and only the default partition (rows no day covers)
 * is deleted from. A log not converted yet, and a converted log's legacy partition (its old rows, both
 * sides mixed), are deleted from in batches, as before.
 */
export class PostbackLogRetention {
  constructor(private readonly db: SqlClient) {}

  /** Removes what expired before `cutoff`; returns the partitions dropped and the rows deleted. */
  async prune(cutoff: Date, maxBatches = 100): Promise<PostbackLogPruned> {
    const pruned: PostbackLogPruned = { dropped: [], deleted: 0 };
    const partitioned = await isPartitionedLog(this.db);
    if (partitioned) {
      const { dropped, deleted } = await new TimePartitions(this.db, POSTBACK_LOG_EXPIRING).dropBefore(cutoff, maxBatches);
      pruned.dropped = dropped;
      pruned.deleted += deleted;
    }
    // A plain log, or a converted log's legacy partition (both sides mixed): row by row, through migration 008's partial index.
    const mixed = !partitioned ? POSTBACK_LOG : (await this.hasLegacy()) ? POSTBACK_LOG_LEGACY : null;
    if (mixed)
      pruned.deleted += await this.deleteInBatches(
        `DELETE FROM ${mixed} WHERE ctid = ANY (ARRAY(
           SELECT ctid FROM ${mixed} WHERE ${postbackExpiresSql('outcome', 'conversion_id')} AND received_at < $1 LIMIT ${DELETE_BATCH}))`,
        cutoff,
        maxBatches,
      );
    // The counters of refusals beyond the per-address bound expire with the refused rows (one row per address and minute at most).
    pruned.deleted += await this.deleteInBatches(
      `DELETE FROM postback_refusals_counted WHERE (minute, ip, reason_code) IN (
         SELECT minute, ip, reason_code FROM postback_refusals_counted WHERE minute < $1 LIMIT ${DELETE_BATCH})`,
      cutoff,
      maxBatches,
    );
    return pruned;
  }

  /** Rows deleted before `cutoff`, one by one (see prune); partitions dropped whole are not counted. */
  async deleteExpired(cutoff: Date, maxBatches = 100): Promise<number> {
    return (await this.prune(cutoff, maxBatches)).deleted;
  }

  private async hasLegacy(): Promise<boolean> {
    const { rows } = await this.db.query<{ found: boolean }>(`SELECT to_regclass($1) IS NOT NULL AS found`, [POSTBACK_LOG_LEGACY]);
    return rows[0].found;
  }

  private async deleteInBatches(sql: string, cutoff: Date, maxBatches: number): Promise<number> {
    let deleted = 0;
    for (let i = 0; i < maxBatches; i++) {
      const { rowCount } = await this.db.query(sql, [cutoff]);
      deleted += rowCount;
      if (rowCount < DELETE_BATCH) break;
    }
    return deleted;
  }
}
