import { Body, Controller, Get, Inject, Put, UseGuards } from '@nestjs/common';
import type { PostwireConfig } from '@postwire/config';
import { CostRepository } from '@postwire/persistence';
import { POSTWIRE_CONFIG } from '@postwire/runtime';
import { AdminAuthGuard } from '../access/admin-auth.guard';
import { ApiError } from '../http/api-error';
import { validate } from '../http/validate';
import { ApiDoc } from '../openapi/api-doc.decorator';
import { currencyRatesSchema } from './currency-rate-schemas';

/** Rates into the report currency, per currency and day, that reports convert payouts and costs with. */
@Controller('api/currency-rates')
@UseGuards(AdminAuthGuard)
export class CurrencyRatesController {
  constructor(
    private readonly costs: CostRepository,
    @Inject(POSTWIRE_CONFIG) private readonly config: PostwireConfig,
  ) {}

  /** Sets conversion rates into the report currency, per currency and day. */
  @ApiDoc({ summary: 'Set currency rates into the report currency, per currency and day', body: currencyRatesSchema })
  @Put()
  async putRates(@Body() body: unknown) {
    const input = validate(currencyRatesSchema, body);
    const same = input.rates.findIndex((r) => r.currency === this.config.reports.currency);
    if (same >= 0) throw ApiError.badParameter(`rates.${same}.currency`, `is the report currency (${this.config.reports.currency}); it needs no rate`);
    await this.costs.putRates(input.rates);
    return { reportCurrency: this.config.reports.currency, rates: await this.costs.listRates() };
  }

  @ApiDoc({ summary: 'List currency rates' })
  @Get()
  async listRates() {
    return { reportCurrency: this.config.reports.currency, rates: await this.costs.listRates() };
  }
}
