import type { DeliveryRepository } from '@postwire/persistence';
import type { HttpSender } from './http-sender';
import { nextStep } from './retry-policy';

export type ProcessResult =
  | { kind: 'skipped'; reason: string }
  | { kind: 'delivered' }
  | { kind: 'retry'; delayMs: number }
  | { kind: 'dead'; reason: string };

/**
 * One attempt at one delivery: read it from the outbox, send it, log the attempt and decide what
 * comes next. The queue only says *when*; Postgres says *what* and whether it is still owed, so a
 * job run twice (sweeper, crash, replay) never sends a delivery that already succeeded.
 */
export class DeliveryProcessor {
  constructor(
    private readonly deliveries: DeliveryRepository,
    private readonly sender: HttpSender,
    private readonly scheduleMs: readonly number[],
    private readonly now: () => Date = () => new Date(),
  ) {}

  async process(deliveryId: string): Promise<ProcessResult> {
    const delivery = await this.deliveries.get(deliveryId);
    if (!delivery) return { kind: 'skipped', reason: 'no such delivery' };
    if (delivery.status !== 'pending') return { kind: 'skipped', reason: `already ${delivery.status}` };
    const headers: Record<string, string> = {
      'user-agent': 'Postwire/0.1 (+postback forwarding)',
      'idempotency-key': delivery.id,
    };
    if (delivery.body !== null) headers['content-type'] = 'application/json';
    const result = await this.sender.send({ method: delivery.method, url: delivery.url, body: delivery.body, headers });
    const step = nextStep(result, delivery.attempts + 1, this.scheduleMs);
    const attempt = {
      url: delivery.url,
      statusCode: result.statusCode,
      latencyMs: result.latencyMs,
      responseSnippet: result.responseSnippet,
      error: step.status === 'dead' && result.error ? `${result.error}; ${step.reason}` : result.error,
    };
    if (step.status === 'pending') {
      await this.deliveries.recordAttempt(delivery.id, attempt, { status: 'pending', nextAttemptAt: new Date(this.now().getTime() + step.delayMs) });
      return { kind: 'retry', delayMs: step.delayMs };
    }
    await this.deliveries.recordAttempt(delivery.id, attempt, step.status === 'dead' ? { status: 'dead' } : { status: 'delivered' });
    return step.status === 'dead' ? { kind: 'dead', reason: step.reason } : { kind: 'delivered' };
  }
}
