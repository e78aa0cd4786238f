import { Module } from '@nestjs/common';
import { AccessModule } from '../access/access.module';
import { catalogLifecycleController, LifecycleModule } from '../lifecycle';
import { TestDeliveryController } from './test-delivery.controller';
import { TrafficSourcesController } from './traffic-sources.controller';

/** Traffic sources: where conversions are forwarded, how, their signing secrets, the test delivery, and their lifecycle. */
@Module({
  imports: [AccessModule, LifecycleModule],
  controllers: [
    TrafficSourcesController,
    catalogLifecycleController({ kind: 'trafficSource', path: 'api/traffic-sources', tag: 'traffic-sources' }),
    TestDeliveryController,
  ],
})
export class TrafficSourcesModule {}
