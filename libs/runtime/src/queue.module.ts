import { BullModule } from '@nestjs/bullmq';
import { DynamicModule, Global, Module } from '@nestjs/common';
import type { PostwireConfig } from '@postwire/config';
import { DeliveryQueue } from './delivery-queue';
import { workerRedisOptions } from './redis-options';
import { DELIVERY_QUEUE_NAME, POSTWIRE_CONFIG } from './tokens';

/** BullMQ on the configured Redis. Workers wait for Redis; {@link DeliveryQueue} keeps its own fail-fast producer connection. */
@Global()
@Module({})
export class QueueModule {
  static forRoot(): DynamicModule {
    return {
      module: QueueModule,
      imports: [
        BullModule.forRootAsync({
          inject: [POSTWIRE_CONFIG],
          useFactory: (config: PostwireConfig) => ({ connection: workerRedisOptions(config.redisUrl), prefix: config.queuePrefix }),
        }),
        BullModule.registerQueue({ name: DELIVERY_QUEUE_NAME }),
      ],
      providers: [DeliveryQueue],
      exports: [DeliveryQueue, BullModule],
    };
  }
}
