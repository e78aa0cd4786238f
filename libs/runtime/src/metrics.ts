import { Global, Inject, Injectable, Logger, Module, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { PostwireConfig } from '@postwire/config';
import { DeliveryRepository } from '@postwire/persistence';
import { createServer, type Server } from 'node:http';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { DeliveryQueue } from './delivery-queue';
import { POSTWIRE_CONFIG } from './tokens';

type Snapshot = Awaited<ReturnType<DeliveryRepository['metricsSnapshot']>>;

/** How long one reading of the database and the queue serves the gauges (one scrape reads them several times). */
const SNAPSHOT_TTL_MS = 1000;

/**
 * Prometheus metrics of one process: its own attempts (counted where they happen, so a tracker
 * alone reports none) and, from Postgres and Redis, the state every process sees alike: pending
 * and dead deliveries, sources flagged failing, queue depth. With several processes, aggregate
 * the counters with `sum` and the shared gauges with `max`.
 */
@Injectable()
export class ForwardingMetrics {
  readonly registry = new Registry();
  private readonly logger = new Logger('Metrics');
  private readonly attempts: Counter<'outcome' | 'status_class'>;
  private readonly latency: Histogram<'outcome'>;
  private snapshot?: { at: number; value: Promise<Snapshot | undefined> };

  constructor(
    private readonly deliveries: DeliveryRepository,
    private readonly queue: DeliveryQueue,
    @Inject(POSTWIRE_CONFIG) private readonly config: PostwireConfig,
  ) {
    collectDefaultMetrics({ register: this.registry });
    const registers = [this.registry];
    this.attempts = new Counter({
      name: 'postwire_delivery_attempts_total',
      help: 'Forwarding attempts made by this process, by what became of the delivery (delivered, retry, dead) and the HTTP status class (none: no response).',
      labelNames: ['outcome', 'status_class'],
      registers,
    });
    this.latency = new Histogram({
      name: 'postwire_delivery_attempt_duration_seconds',
      help: 'Duration of forwarding attempts made by this process, request sent to response read or deadline.',
      labelNames: ['outcome'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15, 30, 60],
      registers,
    });
    const read = () => this.read();
    new Gauge({
      name: 'postwire_deliveries_pending',
      help: 'Deliveries still owed (waiting for their next attempt or being sent).',
      registers,
      async collect() {
        const s = await read();
        if (s) this.set(s.pending);
      },
    });
    new Gauge({
      name: 'postwire_deliveries_dead',
      help: 'Deliveries that gave up (retries used up, 410 Gone, source disabled), kept for replay, per traffic source.',
      labelNames: ['traffic_source_id'],
      registers,
      async collect() {
        const s = await read();
        if (!s) return;
        this.reset();
        for (const row of s.deadBySource) this.set({ traffic_source_id: row.trafficSourceId }, row.dead);
      },
    });
    new Gauge({
      name: 'postwire_traffic_source_failing',
      help: 'Traffic sources failing by the source health rules: N failed attempts in a row or a failure ratio over 15 minutes (1 per such source).',
      labelNames: ['traffic_source_id'],
      registers,
      async collect() {
        const s = await read();
        if (!s) return;
        this.reset();
        for (const id of s.failingSources) this.set({ traffic_source_id: id }, 1);
      },
    });
    const jobs = this.queue;
    const logger = this.logger;
    new Gauge({
      name: 'postwire_delivery_queue_jobs',
      help: 'Jobs in the BullMQ delivery queue by state.',
      labelNames: ['state'],
      registers,
      async collect() {
        try {
          const counts = await jobs.counts();
          for (const [state, n] of Object.entries(counts)) this.set({ state }, n);
        } catch (error) {
          // Redis away: report nothing rather than stale numbers; /health says why.
          this.reset();
          logger.debug(`queue counts unavailable: ${(error as Error).message}`);
        }
      },
    });
  }

  observeAttempt(observation: { outcome: 'delivered' | 'retry' | 'dead'; statusCode: number | null; latencyMs: number }): void {
    const statusClass = observation.statusCode === null ? 'none' : `${Math.floor(observation.statusCode / 100)}xx`;
    this.attempts.inc({ outcome: observation.outcome, status_class: statusClass });
    this.latency.observe({ outcome: observation.outcome }, observation.latencyMs / 1000);
  }

  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  private read(): Promise<Snapshot | undefined> {
    if (!this.snapshot || Date.now() - this.snapshot.at > SNAPSHOT_TTL_MS) {
      const value = this.deliveries.metricsSnapshot(this.config.sourceHealth).catch((error: Error) => {
        this.logger.warn(`outbox metrics unavailable: ${error.message}`);
        return undefined;
      });
      this.snapshot = { at: Date.now(), value };
    }
    return this.snapshot.value;
  }
}

/**
 * The optional `METRICS_PORT` listener: `/metrics` and nothing else, unauthenticated, for a worker
 * (which has no HTTP app) or to keep scrapes off the public port. Bind it where only Prometheus reaches.
 */
@Injectable()
export class MetricsServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private server?: Server;

  constructor(
    private readonly metrics: ForwardingMetrics,
    @Inject(POSTWIRE_CONFIG) private readonly config: PostwireConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const port = this.config.metricsPort;
    if (port === undefined) return;
    const server = createServer((req, res) => {
      if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
        return;
      }
      this.metrics.render().then(
        ({ contentType, body }) => res.writeHead(200, { 'content-type': contentType }).end(body),
        (error: Error) => res.writeHead(500, { 'content-type': 'text/plain' }).end(`${error.message}\n`),
      );
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, this.config.host, () => resolve());
    });
    this.server = server;
    new Logger('Metrics').log(`serving /metrics on ${this.config.host}:${port}`);
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

/** Metrics for every Postwire process; imported by the tracker and the worker (one instance when both run in one process). */
@Global()
@Module({ providers: [ForwardingMetrics, MetricsServer], exports: [ForwardingMetrics] })
export class MetricsModule {}
