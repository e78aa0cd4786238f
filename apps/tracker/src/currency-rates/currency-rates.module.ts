import { Module } from '@nestjs/common';
import { AccessModule } from '../access/access.module';
import { LifecycleModule } from '../lifecycle';
import { CurrencyRatesController } from './currency-rates.controller';

/** Rates into the report currency. */
@Module({ imports: [AccessModule, LifecycleModule], controllers: [CurrencyRatesController] })
export class CurrencyRatesModule {}
