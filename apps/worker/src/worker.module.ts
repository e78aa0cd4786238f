import { DynamicModule, Module } from '@nestjs/common';
import type { PostwireConfig } from '@postwire/config';
import { DeliveryProcessor, HttpSender, TARGET_ANSWER_BYTES } from '@postwire/forwarding';
import { DeliveryRepository, ForwardingTargetRepository, isDatabaseUnavailable } from '@postwire/persistence';
import { ConfigModule, DatabaseModule, ForwardingMetrics, MetricsModule, PluginRegistry, POSTWIRE_CONFIG, QueueModule, TargetRuntime } from '@postwire/runtime';
import { createGuardedConnector, IpAllowlist, SecretBox } from '@postwire/security';
import { Agent } from 'undici';
import { DeliverySweeper } from './delivery.sweeper';
import { StoreOutage } from './store-outage';
import { DeliveryWorker } from './delivery.worker';
import { PostbackLogPruner } from './postback-log.pruner';
import { ReattributionSweeper } from './reattribution.sweeper';
import { ClickRetentionTask } from './click-retention.task';
import { AdClickIdRetentionTask } from './ad-click-id-retention.task';
import { PartitionMaintenanceTask } from './partition-maintenance.task';
import { RedisPolicyCheck } from './redis-policy.check';

/** Forwarding: the BullMQ processor, the outbox sweeper, and the guarded HTTP client they use. */
@Module({})
export class WorkerModule {
  static forRoot(config: PostwireConfig, options: { withInfrastructure?: boolean } = {}): DynamicModule {
    const infrastructure = options.withInfrastructure === false ? [] : [ConfigModule.forRoot(config), DatabaseModule.forRoot(), QueueModule.forRoot()];
    return {
      module: WorkerModule,
      imports: [...infrastructure, MetricsModule],
      providers: [
        {
          provide: HttpSender,
          inject: [POSTWIRE_CONFIG],
          useFactory: (c: PostwireConfig) => {
            const allow = c.forwarding.allowCidrs.length ? new IpAllowlist(c.forwarding.allowCidrs) : undefined;
            // One Agent for the process: it keeps a pool of keep-alive connections per receiver origin,
            // so deliveries to one traffic source reuse connections; each new connection still goes
            // through the guarded connector, which checks the address actually connected.
            const dispatcher = new Agent({
              connect: createGuardedConnector(allow, { timeout: c.forwarding.timeoutMs }),
              connections: c.forwarding.concurrency,
              keepAliveTimeout: 10_000,
            });
            return new HttpSender({ timeoutMs: c.forwarding.timeoutMs, dispatcher });
          },
        },
        { provide: PluginRegistry, inject: [POSTWIRE_CONFIG], useFactory: (c: PostwireConfig) => PluginRegistry.load({ external: c.plugins }) },
        {
          // Target plugins (Meta Conversions API…) build their requests at send time; side calls go through the same guarded client.
          provide: TargetRuntime,
          inject: [PluginRegistry, ForwardingTargetRepository, SecretBox, HttpSender],
          useFactory: (registry: PluginRegistry, store: ForwardingTargetRepository, box: SecretBox, sender: HttpSender) =>
            new TargetRuntime(
              registry,
              store,
              (sealed) => box.open(sealed),
              async (request) => {
                const r = await sender.send({ ...request, maxAnswerBytes: TARGET_ANSWER_BYTES });
                return { statusCode: r.statusCode, headers: r.headers ?? {}, body: r.answer ?? r.responseSnippet, error: r.error };
              },
            ),
        },
        {
          provide: DeliveryProcessor,
          inject: [DeliveryRepository, HttpSender, POSTWIRE_CONFIG, SecretBox, ForwardingMetrics, TargetRuntime, StoreOutage],
          useFactory: (
            deliveries: DeliveryRepository,
            sender: HttpSender,
            c: PostwireConfig,
            box: SecretBox,
            metrics: ForwardingMetrics,
            targets: TargetRuntime,
            outage: StoreOutage,
          ) =>
            new DeliveryProcessor(deliveries, sender, {
              scheduleMs: c.forwarding.retryScheduleMs,
              timeoutMs: c.forwarding.timeoutMs,
              openSecret: (sealed) => box.open(sealed),
              targets,
              onAttempt: (observation) => metrics.observeAttempt(observation),
              isStoreUnavailable: isDatabaseUnavailable,
              onStoreUnavailable: (error) => outage.report(error),
            }),
        },
        StoreOutage,
        DeliveryWorker,
        DeliverySweeper,
        ReattributionSweeper,
        PostbackLogPruner,
        ClickRetentionTask,
        AdClickIdRetentionTask,
        PartitionMaintenanceTask,
        RedisPolicyCheck,
      ],
    };
  }
}
