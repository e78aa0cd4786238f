import { Injectable } from '@nestjs/common';
import { renderDelivery, type DeliveryStatus } from '@postwire/core';
import { DeliveryRepository, TrafficSourceRepository, type TrafficSource } from '@postwire/persistence';
import { DeliveryQueue } from '@postwire/runtime';
import { ApiError } from '../http/api-error';

/** Most deliveries one replay may re-send; a wider range is refused, to be split by the caller. */
export const MAX_REPLAY = 10_000;

/**
 * Re-sends existing deliveries, as Stripe's and Svix's resend do: the same delivery (same id, so
 * the same Idempotency-Key and webhook-id) starts a new round of attempts, logged next to the old
 * ones, with the retry schedule counting from zero. The request is rendered again from the event's
 * values with the source's *current* settings, so fixing a wrong postback URL and replaying works.
 */
@Injectable()
export class DeliveryResender {
  constructor(
    private readonly deliveries: DeliveryRepository,
    private readonly sources: TrafficSourceRepository,
    private readonly queue: DeliveryQueue,
  ) {}

  /** One delivery; undefined when there is no such delivery. */
  async retry(id: string): Promise<{ id: string; status: 'pending'; enqueued: boolean } | undefined> {
    const [candidate] = await this.deliveries.findForResend({ ids: [id] }, 1);
    if (!candidate) return undefined;
    const source = await this.requireEnabled(candidate.trafficSourceId);
    const { enqueued } = await this.resend(source, [candidate]);
    return { id, status: 'pending', enqueued: enqueued === 1 };
  }

  /** A traffic source's deliveries created in `[from, to)`, optionally only those of one status. */
  async replay(filter: { trafficSourceId: string; from: Date; to: Date; status?: DeliveryStatus }): Promise<{ replayed: number; enqueued: number }> {
    const source = await this.requireEnabled(filter.trafficSourceId);
    const candidates = await this.deliveries.findForResend(filter, MAX_REPLAY + 1);
    if (candidates.length > MAX_REPLAY) {
      throw ApiError.badParameter('from', `the range holds more than ${MAX_REPLAY} deliveries; replay it in smaller ranges`);
    }
    const { ids, enqueued } = await this.resend(source, candidates);
    return { replayed: ids.length, enqueued };
  }

  private async resend(
    source: TrafficSource,
    candidates: Awaited<ReturnType<DeliveryRepository['findForResend']>>,
  ): Promise<{ ids: string[]; enqueued: number }> {
    const ids = await this.deliveries.resend(candidates.map((c) => ({ id: c.id, rendered: c.macroValues ? renderDelivery(source, c.macroValues) : null })));
    // A delayed retry job would hold the delivery back until its old time; drop it so the re-send runs now.
    await this.queue.removeJobs(ids);
    return { ids, enqueued: await this.queue.enqueue(ids) };
  }

  private async requireEnabled(trafficSourceId: string): Promise<TrafficSource> {
    const source = await this.sources.get(trafficSourceId);
    if (!source) throw ApiError.notFound('traffic source');
    // The worker ends a disabled source's deliveries unsent; re-sending them now would only do that again.
    if (!source.enabled) throw new ApiError('traffic_source_disabled', 'This traffic source is disabled; enable it first (PATCH enabled: true).');
    return source;
  }
}
