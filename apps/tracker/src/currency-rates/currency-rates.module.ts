import { Module } from '@nestjs/common';
import { AccessModule } from '../access/access.module';
import { CurrencyRatesController } from './currency-rates.controller';

/** Rates into the report currency. */
@Module({ imports: [AccessModule], controllers: [CurrencyRatesController] })
export class CurrencyRatesModule {}
