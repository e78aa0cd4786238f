import { Controller, Get, Inject, Query, Req, Res, StreamableFile, UseGuards } from '@nestjs/common';
import type { PostwireConfig } from '@postwire/config';
import { csvField, encodeReportCursor, REPORT_COLUMNS, reportFigures, type ReportRow } from '@postwire/core';
import { StatsRepository, type StatsGroup, type StatsPage } from '@postwire/persistence';
import { POSTWIRE_CONFIG, ReportsSource } from '@postwire/runtime';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Readable } from 'node:stream';
import { Access, isProfitField, type AccessScope } from '../access/access-scope';
import { ClientVisible } from '../access/client-visible';
import { AdminAuthGuard } from '../access/admin-auth.guard';
import { ApiError } from '../http/api-error';
import { ApiRoute } from '../openapi/api-route.decorator';
import { wantsCsv } from '../http/wants-csv';
import { ReportGate } from './report-gate';
import { parseStatsQuery, statsQuerySchema, type ParsedStatsQuery } from './report-schemas';
import { statsReportView } from './report-views';
import { SubColumnLabels } from './sub-column-labels';

/** PostgreSQL's SQLSTATE for a statement cancelled by statement_timeout (the reports pool sets it). */
const QUERY_CANCELED = '57014';

/**
 * The stats report (`GET /api/reports/stats`). The database groups, sorts and cuts the page
 * (StatsRepository.page); the figures come from the column registry in libs/core.
 */
@Controller('api')
@UseGuards(AdminAuthGuard)
export class ReportsController {
  constructor(
    private readonly stats: StatsRepository,
    private readonly gate: ReportGate,
    private readonly source: ReportsSource,
    @Inject(POSTWIRE_CONFIG) private readonly config: PostwireConfig,
    private readonly subLabels: SubColumnLabels,
  ) {}

  /** For a client: only its campaigns; with hideProfit no cost, profit or ROI (JSON by the interceptor, CSV here), nor sorting by them. */
  @ApiRoute({
    summary: 'The stats report: up to three group-by levels, filters, time zone; a page of rows (limit, cursor) with totals; JSON or CSV',
    query: statsQuerySchema,
    response: statsReportView,
  })
  @Get('reports/stats')
  @ClientVisible()
  async report(@Query() query: unknown, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply, @Access() scope: AccessScope) {
    const q = parseStatsQuery(query);
    if ('path' in q) throw ApiError.badParameter(q.path, q.message);
    if (scope.hideProfit && q.sort.some((k) => isProfitField(k.column)))
      throw ApiError.badParameter('sort', 'cannot sort by a column hidden from this account');
    // Which database answered (the read replica, or the primary when there is none or it is down).
    const read = await this.source.track(() => this.gate.run(() => this.page(q, scope)));
    const page = read.value;
    const database = { source: read.source, ...(read.warning ? { warning: read.warning } : {}), ...(await this.replicaLag()) };
    const rows = page.groups.map((g) => rowOf(g, q));
    const end = q.offset + rows.length;
    const nextCursor = end < page.totalRows ? encodeReportCursor({ offset: end }, q.digest) : null;
    if (wantsCsv(req, q.format)) {
      // The page (at most MAX_REPORT_LIMIT rows) written out as it is read; the next page and the size of the whole report in headers.
      void reply.header('x-total-rows', String(page.totalRows));
      if (nextCursor) void reply.header('x-next-cursor', nextCursor);
      return new StreamableFile(Readable.from(reportCsv(rows, q, scope)), {
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
      labels: await this.subLabels.of(q, scope),
      attributeBy: q.attributeBy,
      rows,
      totals: reportFigures(page.totals),
      totalRows: page.totalRows,
      limit: q.limit,
      offset: q.offset,
      nextCursor,
      database,
    };
  }

  private async page(q: ParsedStatsQuery, scope: AccessScope): Promise<StatsPage> {
    try {
      return await this.stats.page(
        { ...q, currency: this.config.reports.currency, ...(scope.allowedCampaignIds ? { allowedCampaignIds: scope.allowedCampaignIds } : {}) },
        { sort: q.sort, limit: q.limit, offset: q.offset },
      );
    } catch (error) {
      if ((error as { code?: unknown })?.code === QUERY_CANCELED) {
        const ms = this.config.reports.timeoutMs;
        throw new ApiError(
          'report_timeout',
          `the report ran longer than REPORT_TIMEOUT_MS (${ms} ms) and was cancelled; narrow its range, filters or grouping`,
        );
      }
      throw error;
    }
  }

  /** The replica's lag for a report's answer, when reports read a replica that answers. */
  private async replicaLag(): Promise<{ replicaLagSeconds?: number }> {
    const { replica } = await this.source.status();
    return replica?.up ? { replicaLagSeconds: replica.lagSeconds } : {};
  }
}

/** A group as a report row: its keys (with `<dimension>Name` for ids) and every registry column. */
function rowOf(g: StatsGroup, q: ParsedStatsQuery): ReportRow {
  const row: ReportRow = {};
  for (const d of q.groupBy) {
    row[d] = g.keys[d] ?? '';
    if (d in g.names) row[`${d}Name`] = g.names[d as keyof StatsGroup['names']] ?? null;
  }
  return Object.assign(row, reportFigures(g.sums));
}

/** The CSV leaves out what the JSON answer would (profit for a hide-profit view, a client's hidden fields such as `trafficSourceName`). */
function* reportCsv(rows: ReportRow[], q: ParsedStatsQuery, scope: AccessScope): Generator<string> {
  const keys = q.groupBy.flatMap((d) => (['campaign', 'offer', 'network', 'trafficSource'].includes(d) ? [d, `${d}Name`] : [d]));
  const columns = [...keys, ...REPORT_COLUMNS.filter((c) => !scope.hideProfit || !isProfitField(c))].filter((c) => !scope.hiddenFields.has(c));
  yield columns.join(',') + '\r\n';
  for (const row of rows) yield columns.map((c) => csvField(row[c])).join(',') + '\r\n';
}
