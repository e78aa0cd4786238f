import { Module } from '@nestjs/common';
import { AccessModule } from '../access/access.module';
import { DeliveriesController } from './deliveries.controller';
import { DeliveryResender } from './delivery-resender';

/** Deliveries to traffic sources: list, attempts, retry and replay. */
@Module({ imports: [AccessModule], controllers: [DeliveriesController], providers: [DeliveryResender] })
export class DeliveriesModule {}
