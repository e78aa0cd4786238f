import { Controller, Get, Inject, Query, Req, StreamableFile, UseGuards } from '@nestjs/common';
import type { PostwireConfig } from '@postwire/config';
import { assembleReport, csvField, REPORT_COLUMNS, type AssembledReport } from '@postwire/core';
import { StatsRepository } from '@postwire/persistence';
import { POSTWIRE_CONFIG, ReportsSource } from '@postwire/runtime';
import type { FastifyRequest } from 'fastify';
import { Readable } from 'node:stream';
import { Access, isProfitField, type AccessScope } from '../access/access-scope';
import { ClientVisible } from '../access/client-visible';
import { AdminAuthGuard } from '../access/admin-auth.guard';
import { ApiError } from '../http/api-error';
import { ApiRoute } from '../openapi/api-route.decorator';
import { wantsCsv } from '../http/wants-csv';
import { parseStatsQuery, statsQuerySchema, type ParsedStatsQuery } from './report-schemas';
import { statsReportView } from './report-views';

/**
 * The stats report (`GET /api/reports/stats`). The
 * storage reads sit in StatsRepository; the derived columns, sort and paging in libs/core.
 */
@Controller('api')
@UseGuards(AdminAuthGuard)
export class ReportsController {
  constructor(
    private readonly stats: StatsRepository,
    private readonly source: ReportsSource,
    @Inject(POSTWIRE_CONFIG) private readonly config: PostwireConfig,
  ) {}

  /** For a client: only its campaigns; with hideProfit no cost, profit or ROI (JSON by the interceptor, CSV here), nor sorting by them. */
  @ApiRoute({ summary: 'The stats report: up to three group-by levels, filters, time zone; JSON or CSV', query: statsQuerySchema, response: statsReportView })
  @Get('reports/stats')
  @ClientVisible()
  async report(@Query() query: unknown, @Req() req: FastifyRequest, @Access() scope: AccessScope) {
    const q = parseStatsQuery(query);
    if ('path' in q) throw ApiError.badParameter(q.path, q.message);
    if (scope.hideProfit && q.sort.some((k) => isProfitField(k.column)))
      throw ApiError.badParameter('sort', 'cannot sort by a column hidden from this account');
    // Which database answered (the read replica, or the primary when there is none or it is down).
    const read = await this.source.track(() =>
      this.stats.groups({
        ...q,
        currency: this.config.reports.currency,
        ...(scope.allowedCampaignIds ? { allowedCampaignIds: scope.allowedCampaignIds } : {}),
      }),
    );
    const groups = read.value;
    const database = { source: read.source, ...(read.warning ? { warning: read.warning } : {}), ...(await this.replicaLag()) };
    const csv = wantsCsv(req, q.format);
    const report = assembleReport(groups, { groupBy: q.groupBy, sort: q.sort, offset: q.offset, limit: q.limit ?? (csv ? undefined : 100) });
    if (csv) {
      return new StreamableFile(Readable.from(reportCsv(report, q, scope.hideProfit)), {
        type: 'text/csv; charset=utf-8',
        disposition: 'attachment; filename="stats.csv"',
      });
    }
    return {
      currency: this.config.reports.currency,
      from: q.from.toISOString(),
      to: q.to.toISOString(),
      tz: q.tz,
      groupBy: q.groupBy,
      attributeBy: q.attributeBy,
      rows: report.rows,
      totals: report.totals,
      totalRows: report.totalRows,
      limit: q.limit ?? 100,
      offset: q.offset,
      database,
    };
  }

  /** The replica's lag for a report's answer, when reports read a replica that answers. */
  private async replicaLag(): Promise<{ replicaLagSeconds?: number }> {
    const { replica } = await this.source.status();
    return replica?.up ? { replicaLagSeconds: replica.lagSeconds } : {};
  }
}

function* reportCsv(report: AssembledReport, q: ParsedStatsQuery, hideProfit: boolean): Generator<string> {
  const keys = q.groupBy.flatMap((d) => (['campaign', 'offer', 'network', 'trafficSource'].includes(d) ? [d, `${d}Name`] : [d]));
  const columns = [...keys, ...REPORT_COLUMNS.filter((c) => !hideProfit || !isProfitField(c))];
  yield columns.join(',') + '\r\n';
  for (const row of report.rows) yield columns.map((c) => csvField(row[c])).join(',') + '\r\n';
}
