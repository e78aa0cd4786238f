import { Module } from '@nestjs/common';
import { AccessModule } from '../access/access.module';
import { TestDeliveryController } from './test-delivery.controller';
import { TrafficSourcesController } from './traffic-sources.controller';

/** Traffic sources: where conversions are forwarded, how, their signing secrets, and the test delivery. */
@Module({ imports: [AccessModule], controllers: [TrafficSourcesController, TestDeliveryController] })
export class TrafficSourcesModule {}
