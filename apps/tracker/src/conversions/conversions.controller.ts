import { Controller, Get, Param, Query, Req, UseGuards } from '@nestjs/common';
import { ReportRepository } from '@postwire/persistence';
import type { FastifyRequest } from 'fastify';
import { Access, campaignFilter, requireCampaign, type AccessScope } from '../access/access-scope';
import { AdminAuthGuard } from '../access/admin-auth.guard';
import { ClientVisible } from '../access/client-visible';
import { ApiError } from '../http/api-error';
import { validate } from '../http/validate';
import { wantsCsv } from '../http/wants-csv';
import { ApiRoute } from '../openapi/api-route.decorator';
import { listFilterSchema } from '../schemas/admin-schemas';
import { ConversionExport } from './conversion-export';
import { conversionView, conversionWithHistoryView } from './conversion-views';
import { z } from 'zod';

/** The conversions a tracker booked: a list (or a CSV export) and one with its status history. */
@Controller('api/conversions')
@UseGuards(AdminAuthGuard)
export class ConversionsController {
  constructor(
    private readonly reports: ReportRepository,
    private readonly conversionExport: ConversionExport,
  ) {}

  /** JSON: recent conversions by click or id. CSV (`format=csv` or Accept: text/csv): an export with the stats report's range and filters. */
  @ApiRoute({
    summary: 'List conversions, newest first (CSV: export by range and filters)',
    query: listFilterSchema,
    // The CSV export takes the stats report's range and filters instead: the handler picks the schema.
    queryCheckedByHandler: true,
    response: z.array(conversionView),
  })
  @Get()
  @ClientVisible()
  async listConversions(@Query() query: Record<string, unknown>, @Req() req: FastifyRequest, @Access() scope: AccessScope) {
    if (wantsCsv(req, typeof query?.format === 'string' ? query.format : undefined)) return this.conversionExport.csv(query, scope.allowedCampaignIds);
    const filter = validate(listFilterSchema, query);
    const { campaignIds, none } = campaignFilter(scope, filter.campaignId);
    return none ? [] : this.reports.listConversions({ ...filter, campaignIds });
  }

  @ApiRoute({ summary: 'One conversion with its status history', response: conversionWithHistoryView })
  @Get(':id')
  @ClientVisible()
  async getConversion(@Param('id') id: string, @Access() scope: AccessScope) {
    const conversion = await this.reports.getConversion(id);
    if (!conversion) throw ApiError.notFound('conversion');
    requireCampaign(scope, conversion.campaignId, 'conversion');
    return conversion;
  }
}
