import { Controller, Get, Inject, Put, UseGuards } from '@nestjs/common';
import type { PostwireConfig } from '@postwire/config';
import { CostRepository, type CurrencyRate, type SqlClient } from '@postwire/persistence';
import { POSTWIRE_CONFIG, SQL_CLIENT } from '@postwire/runtime';
import { Access, type AccessScope } from '../access/access-scope';
import { AdminAuthGuard } from '../access/admin-auth.guard';
import { ApiError } from '../http/api-error';
import { CatalogLifecycle } from '../lifecycle';
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
    @Inject(SQL_CLIENT) private readonly db: SqlClient,
    private readonly lifecycle: CatalogLifecycle,
  ) {}

  /**
   * Sets conversion rates into the report currency, per currency and day. Rates change every report figure in
   * that currency, so each PUT is in the audit trail: one `currencyRate` entry per currency, with the rates it
   * set and the ones they replaced, written in the same transaction.
   */
  @ApiRoute({ summary: 'Set currency rates into the report currency, per currency and day', body: currencyRatesSchema, response: currencyRatesView })
  @Put()
  async putRates(@Valid('body') input: z.output<typeof currencyRatesSchema>, @Access() scope: AccessScope) {
    const same = input.rates.findIndex((r) => r.currency === this.config.reports.currency);
    if (same >= 0) throw ApiError.badParameter(`rates.${same}.currency`, `is the report currency (${this.config.reports.currency}); it needs no rate`);
    await this.db.transaction(async (tx) => {
      const replaced = await this.costs.putRates(input.rates, tx);
      const byCurrency = (rates: readonly CurrencyRate[], currency: string) =>
        rates.filter((r) => r.currency === currency).map(({ day, rate }) => ({ day, rate }));
      const currencies = [...new Set(input.rates.map((r) => r.currency))].sort();
      const entries = currencies.map((currency) => {
        const before = byCurrency(replaced, currency);
        return {
          entityType: 'currencyRate',
          entityId: currency,
          action: 'edit',
          before: before.length ? { rates: before } : null,
          after: { rates: byCurrency(input.rates, currency) },
        };
      });
      await this.lifecycle.record(scope.actor, entries, tx);
    });
    return { reportCurrency: this.config.reports.currency, rates: await this.costs.listRates() };
  }

  @ApiRoute({ summary: 'List currency rates', response: currencyRatesView })
  @Get()
  async listRates() {
    return { reportCurrency: this.config.reports.currency, rates: await this.costs.listRates() };
  }
}
