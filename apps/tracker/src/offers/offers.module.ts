import { Module } from '@nestjs/common';
import { AccessModule } from '../access/access.module';
import { ClicksModule } from '../clicks';
import { catalogLifecycleController, LifecycleModule } from '../lifecycle';
import { OffersController } from './offers.controller';

/** Offers and their goals, and their lifecycle (archive, delete, clone, bulk). */
@Module({
  imports: [AccessModule, ClicksModule, LifecycleModule],
  controllers: [OffersController, catalogLifecycleController({ kind: 'offer', path: 'api/offers', tag: 'offers' })],
})
export class OffersModule {}
