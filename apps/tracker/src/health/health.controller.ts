import { Controller, Get, Inject, Optional, Res } from '@nestjs/common';
import type { SqlClient } from '@postwire/persistence';
import { DeliveryQueue, ReportsSource, SQL_CLIENT } from '@postwire/runtime';
import type { FastifyReply } from 'fastify';
import { JournalingClickSink } from '../clicks';
import { SubPairCompactor, SubValueCompactor } from '../reports';

/** A probe that has not answered by then counts as failed: a network cut hangs instead of failing. */
const PROBE_TIMEOUT_MS = 2000;

/**
 * `GET /health`: 200 while the tracker takes clicks, with `status` saying how well.
 * - `ok`: database and Redis answer.
 * - `degraded`: Redis is away (postbacks are still stored; deliveries wait), or PostgreSQL is away
 *   and clicks are journaled (redirects go on; postbacks get 503 + Retry-After until it is back),
 *   or it is back and the journal is still being replayed. `degraded` names the dependencies.
 *   Or reports read the primary because their read replica (REPORTS_DATABASE_URL) is down (`reportsReplica`).
 * - `down` (503): PostgreSQL is away and clicks cannot be journaled either (or there is no journal).
 * `reportRollups.subValues`: the background fill of the sub-id value rollups (days and weeks written,
 * pending, running); reports are exact meanwhile, only slower over the pending ranges. `reportRollups.subPairs`:
 * the same for the sub1 × sub2 pair grain (migration 034).
 * A load balancer should keep a `degraded` tracker in rotation: every tracker shares the same
 * PostgreSQL, so taking it out only moves the same clicks to trackers in the same state (docs/scaling.md).
 */
@Controller('health')
export class HealthController {
  constructor(
    @Inject(SQL_CLIENT) private readonly db: SqlClient,
    private readonly queue: DeliveryQueue,
    private readonly reports: ReportsSource,
    @Optional() private readonly clicks?: JournalingClickSink,
    @Optional() private readonly subValues?: SubValueCompactor,
    @Optional() private readonly subPairs?: SubPairCompactor,
  ) {}

  @Get()
  async health(@Res() reply: FastifyReply): Promise<void> {
    const [database, redis, reports] = await Promise.all([probe(() => this.db.ping()), probe(() => this.queue.ping()), this.reports.status()]);
    const clicks = this.clicks?.status();
    const journalCarries = !database.ok && clicks !== undefined && this.db.driver === 'postgres' && clicks.journalWritable;
    const up = database.ok || journalCarries;
    // Until the journal is replayed the database lacks clicks (reports lag), even once it answers again.
    const degraded = [
      ...(database.ok && !clicks?.journaling ? [] : ['database']),
      ...(redis.ok ? [] : ['redis']),
      ...(reports.replica && !reports.replica.up ? ['reportsReplica'] : []),
    ];
    const status = !up ? 'down' : degraded.length ? 'degraded' : 'ok';
    void reply
      .status(up ? 200 : 503)
      .header('cache-control', 'no-store')
      .send({
        status,
        ...(degraded.length ? { degraded } : {}),
        database: { ...database, driver: this.db.driver },
        redis,
        ...(clicks ? { clicks } : {}),
        reports,
        ...(this.subValues ? { reportRollups: { subValues: this.subValues.status(), ...(this.subPairs ? { subPairs: this.subPairs.status() } : {}) } } : {}),
      });
  }
}

async function probe(check: () => Promise<void>): Promise<{ ok: boolean; error?: string }> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check(),
      new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${PROBE_TIMEOUT_MS} ms`)), PROBE_TIMEOUT_MS))),
    ]);
    return { ok: true };
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  } finally {
    clearTimeout(timer);
  }
}
