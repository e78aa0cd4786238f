import { Controller, Get, UseGuards } from '@nestjs/common';
import { ReportRepository } from '@postwire/persistence';
import { Access, campaignFilter, type AccessScope } from '../access/access-scope';
import { AdminAuthGuard } from '../access/admin-auth.guard';
import { ClientVisible } from '../access/client-visible';
import { ApiRoute, Valid } from '../openapi/api-route.decorator';
import { reconciliationQuerySchema } from '../schemas/admin-schemas';
import { reconciliationView } from './report-views';
import { z } from 'zod';

/** Which conversions came by pixel only, by S2S postback only, or by both. */
@Controller('api/reports')
@UseGuards(AdminAuthGuard)
export class ReconciliationController {
  constructor(private readonly reports: ReportRepository) {}

  /** Pixel-only, S2S-only and both, per campaign and day. */
  @ApiRoute({ summary: 'Pixel-only, S2S-only and both, per campaign and day', query: reconciliationQuerySchema, response: z.array(reconciliationView) })
  @Get('reconciliation')
  @ClientVisible()
  async reconciliation(@Valid('query') filter: z.output<typeof reconciliationQuerySchema>, @Access() scope: AccessScope) {
    const { campaignIds, none } = campaignFilter(scope, filter.campaignId);
    return none ? [] : this.reports.reconciliation({ ...filter, campaignIds });
  }
}
