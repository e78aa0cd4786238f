import { Module } from '@nestjs/common';
import { AccessModule } from '../access/access.module';
import { OffersController } from './offers.controller';

/** Offers and their goals. */
@Module({ imports: [AccessModule], controllers: [OffersController] })
export class OffersModule {}
