import { Redis } from 'ioredis';
import type { PostwireProcess } from './postwire-process';
import { allItems } from './paged';
import { waitUntil } from './wait-until';

export interface SettledDelivery {
  id: string;
  status: 'delivered' | 'dead';
  attempts: number;
}

/**
 * Waits until forwarding has nothing left to do for the deliveries matching `filter` (query of
 * `GET /api/deliveries`: `clickId`, `conversionId`, `trafficSourceId`), and returns them.
 *
 * "Nothing left" is a state the test can observe, so it replaces "sleep, then check that nothing
 * more arrived": every matching delivery is settled in Postgres (delivered or dead), and its
 * queue job (job id = delivery id) is gone from Redis. After that nothing can send them again:
 * no job is left to run, the sweeper's next run only re-enqueues *pending* deliveries, and the
 * processor skips a settled one. A delivery that should not exist shows up here too: it is listed
 * (and waited for) like any other.
 */
export async function forwardingSettled(app: PostwireProcess, filter: Record<string, string>, timeoutMs = 20_000): Promise<SettledDelivery[]> {
  const redis = new Redis(app.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: 1 });
  const query = new URLSearchParams(filter).toString();
  let deliveries: Array<{ id: string; status: string; attempts: number }> = [];
  try {
    await waitUntil(
      async () => {
        deliveries = await allItems<(typeof deliveries)[number]>(app, `/api/deliveries?${query}`);
        if (deliveries.some((d) => d.status === 'pending')) return false;
        if (deliveries.length === 0) return true;
        const queued = await redis.exists(...deliveries.map((d) => `${app.env.QUEUE_PREFIX}:deliveries:${d.id}`));
        return queued === 0;
      },
      timeoutMs,
      `deliveries (${query}) to settle`,
    );
  } finally {
    redis.disconnect();
  }
  return deliveries as SettledDelivery[];
}
