import { BullModule } from '@nestjs/bullmq';
import { DynamicModule, Global, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import type { PostwireConfig } from '@postwire/config';
import { DeliveryQueue } from './delivery-queue';
import { bullConnection, bullPrefix, closeBullConnection } from './redis-connection';
import { DELIVERY_QUEUE_NAME, POSTWIRE_CONFIG } from './tokens';

/** The connection of the queues registered through BullModule (options, or one shared Cluster). */
const BULL_MODULE_CONNECTION = Symbol('BULL_MODULE_CONNECTION');

/** BullMQ leaves a connection it was handed open; a cluster connection made for BullModule is closed here. */
@Injectable()
class BullModuleConnectionCloser implements OnApplicationShutdown {
  constructor(@Inject(BULL_MODULE_CONNECTION) private readonly connection: ReturnType<typeof bullConnection>) {}

  async onApplicationShutdown(): Promise<void> {
    await closeBullConnection(this.connection);
  }
}

@Module({
  providers: [
    { provide: BULL_MODULE_CONNECTION, inject: [POSTWIRE_CONFIG], useFactory: (config: PostwireConfig) => bullConnection(config, 'worker') },
    BullModuleConnectionCloser,
  ],
  exports: [BULL_MODULE_CONNECTION],
})
class BullModuleConnection {}

/** BullMQ on the configured Redis or Redis Cluster. Workers wait for Redis; {@link DeliveryQueue} keeps its own fail-fast producer connection. */
@Global()
@Module({})
export class QueueModule {
  static forRoot(): DynamicModule {
    return {
      module: QueueModule,
      imports: [
        BullModule.forRootAsync({
          imports: [BullModuleConnection],
          inject: [POSTWIRE_CONFIG, BULL_MODULE_CONNECTION],
          useFactory: (config: PostwireConfig, connection: ReturnType<typeof bullConnection>) => ({ connection, prefix: bullPrefix(config) }),
        }),
        BullModule.registerQueue({ name: DELIVERY_QUEUE_NAME }),
      ],
      providers: [DeliveryQueue],
      exports: [DeliveryQueue, BullModule],
    };
  }
}
