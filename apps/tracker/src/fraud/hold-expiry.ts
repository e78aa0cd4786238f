import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { FraudRepository } from '@postwire/persistence';
import { DeliveryQueue } from '@postwire/runtime';
import { CatalogLifecycle } from '../lifecycle';

/** How often held conversions past their time are looked for. Holds last hours; a minute late is nothing. */
const SWEEP_MS = 60_000;

/**
 * Decides the holds nobody reviewed in time, by each one's rule (the policy's `holdExpiry` when it was
 * held): released ones are forwarded, rejected ones declined; the audit log names the system. Safe with
 * several trackers: a hold is taken by the statement that decides it, so only one of them acts on it.
 */
@Injectable()
export class HoldExpiry implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('HoldExpiry');
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly fraud: FraudRepository,
    private readonly queue: DeliveryQueue,
    private readonly lifecycle: CatalogLifecycle,
  ) {}

  onModuleInit(): void {
    this.timer = setInterval(() => void this.sweep().catch((error: Error) => this.logger.warn(`hold expiry failed: ${error.message}`)), SWEEP_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** One pass: decides what expired by `now`; returns how many were released and rejected. */
  async sweep(now: Date = new Date()): Promise<{ released: number; rejected: number }> {
    const { released, rejected } = await this.fraud.expire(now);
    void this.queue.enqueue(released.deliveryIds);
    const system = { type: 'system' as const, id: null, label: 'hold expiry' };
    const entries = [
      ...released.decided.map((id) => ({
        entityType: 'conversion',
        entityId: id,
        action: 'fraud_release',
        before: { holdState: 'held' },
        after: { holdState: 'released' },
      })),
      ...rejected.decided.map((id) => ({
        entityType: 'conversion',
        entityId: id,
        action: 'fraud_reject',
        before: { holdState: 'held' },
        after: { holdState: 'rejected' },
      })),
    ];
    if (entries.length) await this.lifecycle.record(system, entries);
    return { released: released.decided.length, rejected: rejected.decided.length };
  }
}
