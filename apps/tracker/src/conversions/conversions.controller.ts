import { Controller, Get, Param, Query, Req, UseGuards } from '@nestjs/common';
import { emptyPage } from '@postwire/core';
import { ReportRepository } from '@postwire/persistence';
import type { FastifyRequest } from 'fastify';
import { Access, campaignFilter, requireCampaign, type AccessScope } from '../access/access-scope';
import { AdminAuthGuard } from '../access/admin-auth.guard';
import { ClientVisible } from '../access/client-visible';
import { ApiError } from '../http/api-error';
import { validate } from '../http/validate';
import { wantsCsv } from '../http/wants-csv';
import { ApiRoute } from '../openapi/api-route.decorator';
import { pagedView } from '../schemas/paging';
import { ConversionExport } from './conversion-export';
import { conversionListQuery, isReportRangeExport } from './conversion-schemas';
import { conversionView, conversionWithHistoryView } from './conversion-views';

/** The conversions a tracker booked: a list (or a CSV export) and one with its status history. */
@Controller('api/conversions')
@UseGuards(AdminAuthGuard)
export class ConversionsController {
  constructor(
    private readonly reports: ReportRepository,
    private readonly conversionExport: ConversionExport,
  ) {}

  /**
   * JSON: a page of conversions, newest first, with the total. CSV (`format=csv` or Accept: text/csv): every
   * filtered row; a query naming a stats-report parameter (tz, attributeBy, campaign, country, …) is the report-range export instead.
   */
  @ApiRoute({
    summary: 'List conversions, newest first, paged with a total (CSV: every filtered row)',
    query: conversionListQuery,
    // A CSV query in the stats report's terms takes that export's schema instead: the handler picks the schema.
    queryCheckedByHandler: true,
    response: pagedView(conversionView),
  })
  @Get()
  @ClientVisible()
  async listConversions(@Query() query: Record<string, unknown>, @Req() req: FastifyRequest, @Access() scope: AccessScope) {
    const csv = wantsCsv(req, typeof query?.format === 'string' ? query.format : undefined);
    if (csv && isReportRangeExport(query ?? {})) return this.conversionExport.reportRangeCsv(query, scope.allowedCampaignIds);
    const { limit, offset, format: _format, ...filter } = validate(conversionListQuery, query);
    const { campaignIds, none } = campaignFilter(scope, filter.campaignId);
    const scoped = { ...filter, campaignIds };
    if (csv) return this.conversionExport.listCsv(none ? { ...scoped, campaignIds: [] } : scoped);
    return none ? emptyPage<never>({ limit, offset }) : this.reports.pageConversions(scoped, { limit, offset });
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
