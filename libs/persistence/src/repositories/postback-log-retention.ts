import type { SqlClient } from '../client/sql-client';

/** Rows deleted per statement, so one pass never holds a long lock or a huge transaction. */
const DELETE_BATCH = 5000;

/**
 * Deletes postback-log rows that booked nothing (unattributed, pixel hits with an unknown click
 * id among them, rejected and refused, and the counters of refusals beyond the flood bound) once they are older than the retention. Anyone can make such rows
 * by sending made-up click ids, so they must not be kept for ever; rows tied to a conversion are
 * the conversion's history and are kept.
 */
export class PostbackLogRetention {
  constructor(private readonly db: SqlClient) {}

  /** Deletes what expired before `cutoff`, in batches; returns how many rows went. */
  async deleteExpired(cutoff: Date, maxBatches = 100): Promise<number> {
    let deleted = 0;
    for (let i = 0; i < maxBatches; i++) {
      const { rowCount } = await this.db.query(
        `DELETE FROM postbacks WHERE id IN (
           SELECT id FROM postbacks
           WHERE outcome IN ('unattributed', 'rejected', 'refused') AND conversion_id IS NULL AND received_at < $1
           LIMIT ${DELETE_BATCH})`,
        [cutoff],
      );
      deleted += rowCount;
      if (rowCount < DELETE_BATCH) break;
    }
    // The counters of refusals beyond the per-address bound expire with the refused rows (one row per address and minute at most).
    for (let i = 0; i < maxBatches; i++) {
      const { rowCount } = await this.db.query(
        `DELETE FROM postback_refusals_counted WHERE (minute, ip, reason_code) IN (
           SELECT minute, ip, reason_code FROM postback_refusals_counted WHERE minute < $1 LIMIT ${DELETE_BATCH})`,
        [cutoff],
      );
      deleted += rowCount;
      if (rowCount < DELETE_BATCH) break;
    }
    return deleted;
  }
}
