import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { ReportRepository } from '@postwire/persistence';
import { Access, campaignFilter, type AccessScope } from '../access/access-scope';
import { AdminAuthGuard } from '../access/admin-auth.guard';
import { ClientVisible } from '../access/client-visible';
import { validate } from '../http/validate';
import { ApiDoc } from '../openapi/api-doc.decorator';
import { reconciliationQuerySchema } from '../schemas/admin-schemas';

/** Which conversions came by pixel only, by S2S postback only, or by both. */
@Controller('api/reports')
@UseGuards(AdminAuthGuard)
export class ReconciliationController {
  constructor(private readonly reports: ReportRepository) {}

  /** Pixel-only, S2S-only and both, per campaign and day. */
  @ApiDoc({ summary: 'Pixel-only, S2S-only and both, per campaign and day', query: reconciliationQuerySchema })
  @Get('reconciliation')
  @ClientVisible()
  async reconciliation(@Query() query: unknown, @Access() scope: AccessScope) {
    const filter = validate(reconciliationQuerySchema, query);
    const { campaignIds, none } = campaignFilter(scope, filter.campaignId);
    return none ? [] : this.reports.reconciliation({ ...filter, campaignIds });
  }
}
