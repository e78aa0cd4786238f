import { Controller, Get, Inject, Put, UseGuards } from '@nestjs/common';
import type { PostwireConfig } from '@postwire/config';
import { CostRepository } from '@postwire/persistence';
import { POSTWIRE_CONFIG } from '@postwire/runtime';
import { AdminAuthGuard } from '../access/admin-auth.guard';
import { ApiError } from '../http/api-error';
import { ApiRoute, Valid } from '../openapi/api-route.decorator';
import { currencyRatesSchema } from './currency-rate-schemas';
import type { z } from 'zod';
import { currencyRatesView } from './currency-rate-views';

/** Rates into the report currency, per currency and day, that reports convert payouts and costs with. */
@Controller('api/currency-rates')
@UseGuards(AdminAuthGuard)
export class CurrencyRatesController {
  constructor(
    private readonly costs: CostRepository,
    @Inject(POSTWIRE_CONFIG) private readonly config: PostwireConfig,
  ) {}

  /** Sets conversion rates into the report currency, per currency and day. */
  @ApiRoute({ summary: 'Set currency rates into the report currency, per currency and day', body: currencyRatesSchema, response: currencyRatesView })
  @Put()
  async putRates(@Valid('body') input: z.output<typeof currencyRatesSchema>) {
    const same = input.rates.findIndex((r) => r.currency === this.config.reports.currency);
    if (same >= 0) throw ApiError.badParameter(`rates.${same}.currency`, `is the report currency (${this.config.reports.currency}); it needs no rate`);
    await this.costs.putRates(input.rates);
    return { reportCurrency: this.config.reports.currency, rates: await this.costs.listRates() };
  }

  @ApiRoute({ summary: 'List currency rates', response: currencyRatesView })
  @Get()
  async listRates() {
    return { reportCurrency: this.config.reports.currency, rates: await this.costs.listRates() };
  }
}
