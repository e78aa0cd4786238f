import type { SqlClient } from '../client/sql-client';
import { ClickRepository } from '../repositories/click.repository';
import { CLICKS } from './partitioned-tables';
import { type RetentionResult, TimePartitions } from './time-partitions';

const CHUNK = 10_000;

/**
 * CLICK_RETENTION_DAYS on either shape of the clicks table: a partitioned one loses whole partitions
 * (TimePartitions.dropBefore); a plain one (a large install not yet converted by `npm run db:partition`)
 * is deleted from in chunks, at most `maxChunks` per call, as before partitions existed.
 */
export class ClickRetention {
  constructor(private readonly db: SqlClient) {}

  async apply(cutoff: Date, maxChunks = 50): Promise<RetentionResult> {
    const partitions = new TimePartitions(this.db, CLICKS);
    if (await partitions.isPartitioned()) return partitions.dropBefore(cutoff, maxChunks);
    const clicks = new ClickRepository(this.db);
    let deleted = 0;
    for (let i = 0; i < maxChunks; i++) {
      const n = await clicks.deleteOlderThan(cutoff, CHUNK);
      deleted += n;
      if (n < CHUNK) break;
    }
    return { dropped: [], deleted };
  }
}
