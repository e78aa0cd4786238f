import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { PostwireConfig } from '@postwire/config';
import { FraudScorer, type AuditActor } from '@postwire/core';
import { FraudRescorer, FraudRescoreRepository, type RescoreRequest, type SqlClient } from '@postwire/persistence';
import { DeliveryQueue, POSTWIRE_CONFIG, SQL_CLIENT } from '@postwire/runtime';
import { CatalogLifecycle } from '../../lifecycle';
import { FraudPlugins } from '../fraud-plugins';

/**
 * Starts re-score runs in the background (docs/fraud.md#re-scoring) and keeps them until they end; the
 * work is {@link FraudRescorer}'s. Marks runs a restart cut short as failed, and lets running ones stop
 * between batches on shutdown.
 */
@Injectable()
export class RescoreRunner implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('FraudRescore');
  private readonly running = new Map<string, Promise<void>>();
  private readonly rescorer: FraudRescorer;
  private stopping = false;

  constructor(
    private readonly runs: FraudRescoreRepository,
    scorer: FraudScorer,
    plugins: FraudPlugins,
    queue: DeliveryQueue,
    lifecycle: CatalogLifecycle,
    @Inject(SQL_CLIENT) db: SqlClient,
    @Inject(POSTWIRE_CONFIG) config: PostwireConfig,
  ) {
    const scoring = plugins.scoring;
    this.rescorer = new FraudRescorer(
      db,
      runs,
      scorer,
      { empty: scoring.empty, codes: plugins.codes, scoreClick: (c) => scoring.scoreClick(c), scoreConversion: (c) => scoring.scoreConversion(c) },
      {
        reportCurrency: config.reports.currency,
        audit: (actor, entries, tx) => lifecycle.record(actor, entries, tx),
        onDeliveries: (ids) => void queue.enqueue(ids),
        stopping: () => this.stopping,
      },
    );
  }

  async onApplicationBootstrap(): Promise<void> {
    const abandoned = await this.runs.failAbandoned();
    if (abandoned) this.logger.warn(`${abandoned} re-score run(s) were cut short by a restart; marked failed`);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await Promise.allSettled([...this.running.values()]);
  }

  /** Starts a run; undefined when the campaign or offer is unknown. `done` settles when the run is over (never rejects). */
  async start(request: RescoreRequest, actor: AuditActor, requestedBy: string): Promise<{ runId: string; done: Promise<void> } | undefined> {
    const started = await this.rescorer.start(request, actor, requestedBy);
    if (!started) return undefined;
    const done = started.done.finally(() => this.running.delete(started.runId));
    this.running.set(started.runId, done);
    return { runId: started.runId, done };
  }
}
