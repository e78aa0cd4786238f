import { Controller, Get, Inject, Res } from '@nestjs/common';
import type { SqlClient } from '@postwire/persistence';
import { DeliveryQueue, SQL_CLIENT } from '@postwire/runtime';
import type { FastifyReply } from 'fastify';

/**
 * `GET /health`: 200 while the tracker can take postbacks. The database is required; Redis is
 * reported but not required, since postbacks are still accepted and stored while it is away.
 */
@Controller('health')
export class HealthController {
  constructor(
    @Inject(SQL_CLIENT) private readonly db: SqlClient,
    private readonly queue: DeliveryQueue,
  ) {}

  @Get()
  async health(@Res() reply: FastifyReply): Promise<void> {
    const [database, redis] = await Promise.all([probe(() => this.db.ping()), probe(() => this.queue.ping())]);
    const status = database.ok ? (redis.ok ? 'ok' : 'degraded') : 'down';
    void reply
      .status(database.ok ? 200 : 503)
      .header('cache-control', 'no-store')
      .send({ status, database: { ...database, driver: this.db.driver }, redis });
  }
}

async function probe(check: () => Promise<void>): Promise<{ ok: boolean; error?: string }> {
  try {
    await check();
    return { ok: true };
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
}
