import { Controller, Get, Inject, Query, Req, Res, StreamableFile, UseGuards } from '@nestjs/common';
import type { PostwireConfig } from '@postwire/config';
import {
  csvField,
  encodeReportCursor,
  isTimeDimension,
  previousPeriod,
  previousPeriodLabels,
  REPORT_COLUMNS,
  reportChanges,
  reportFigures,
  SUM_SQL,
  type ReportRow,
  type RowSums,
} from '@postwire/core';
import { isPairReport, StatsRepository, type StatsGroup, type StatsPage } from '@postwire/persistence';
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
import { MAX_REPORT_LIMIT, parseStatsQuery, statsQuerySchema, type ParsedStatsQuery } from './report-schemas';
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
    if (q.compare && isPairReport({ ...q, ...(scope.allowedCampaignIds ? { allowedCampaignIds: scope.allowedCampaignIds } : {}) }))
      throw ApiError.badParameter(
        'compare',
        'a sub1,sub2 report over all campaigns is answered from the bounded pair grain, whose rows two periods cannot match; add exact=true to compare',
      );
    // Which database answered (the read replica, or the primary when there is none or it is down).
    // With compare=previous the previous period is read in the same turn of the gate: one report, two statements.
    const read = await this.source.track(() =>
      this.gate.run(async () => ({ page: await this.page(q, scope), previous: q.compare ? await this.previousPage(q, scope) : undefined })),
    );
    const { page, previous } = read.value;
    const database = { source: read.source, ...(read.warning ? { warning: read.warning } : {}), ...(await this.replicaLag()) };
    const rows = page.groups.map((g) => rowOf(g, q));
    const end = q.offset + rows.length;
    const nextCursor = end < page.totalRows ? encodeReportCursor({ offset: end }, q.digest) : null;
    if (wantsCsv(req, q.format)) {
      // The page (at most MAX_REPORT_LIMIT rows) written out as it is read; the next page and the size of the whole report in headers.
      void reply.header('x-total-rows', String(page.totalRows));
      if (nextCursor) void reply.header('x-next-cursor', nextCursor);
      return new StreamableFile(Readable.from(reportCsv(rows, q, scope, page)), {
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
      ...(previous ? { compare: comparison(q, page, previous) } : {}),
      ...(page.approximation ? { approximation: { ...page.approximation, rows: marksOf(page) } } : {}),
    };
  }

  /** The period of the same length just before, grouped and sorted alike: its first page of the most rows a page may hold. */
  private async previousPage(q: ParsedStatsQuery, scope: AccessScope): Promise<PreviousPage> {
    const range = previousPeriod(q.from.getTime(), q.to.getTime(), q.tz);
    const prev = { ...q, from: new Date(range.fromMs), to: new Date(range.toMs), limit: MAX_REPORT_LIMIT, offset: 0 };
    return { q: prev, page: await this.page(prev, scope) };
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

interface PreviousPage {
  q: ParsedStatsQuery;
  page: StatsPage;
}

const ZERO_SUMS = Object.fromEntries(Object.keys(SUM_SQL).map((k) => [k, 0n])) as unknown as RowSums;

/**
 * The answer's `compare`: the previous totals and changes, and each row's figures in the previous
 * period. Entities match by id; a time period matches the period at the same place of the previous
 * range. A group the previous period lacks had no traffic then (zeros), unless the previous period
 * had more groups than were read, when it is unknown (null).
 */
function comparison(q: ParsedStatsQuery, page: StatsPage, previous: PreviousPage) {
  const unit = q.groupBy.find(isTimeDimension);
  const labels = unit ? previousPeriodLabels(q.from.getTime(), q.to.getTime(), previous.q.from.getTime(), previous.q.to.getTime(), q.tz, unit) : undefined;
  const keyOf = (g: StatsGroup, map?: Map<string, string>) =>
    q.groupBy.map((d) => (isTimeDimension(d) && map ? (map.get(g.keys[d] ?? '') ?? '\u0001') : (g.keys[d] ?? ''))).join('\u0000');
  const before = new Map(previous.page.groups.map((g) => [keyOf(g), g.sums]));
  const complete = previous.page.groups.length >= previous.page.totalRows;
  const totals = reportFigures(previous.page.totals);
  return {
    from: previous.q.from.toISOString(),
    to: previous.q.to.toISOString(),
    totals,
    changes: reportChanges(reportFigures(page.totals), totals),
    rows: page.groups.map((g) => {
      const sums = before.get(keyOf(g, labels));
      return sums ? reportFigures(sums) : complete ? reportFigures(ZERO_SUMS) : null;
    }),
  };
}

/** A group as a report row: its keys (with `<dimension>Name` for ids) and every registry column. */
function rowOf(g: StatsGroup, q: ParsedStatsQuery): ReportRow {
  const row: ReportRow = {};
  for (const d of q.groupBy) {
    // The "(other)" row of an approximate answer is no group: its keys are null.
    row[d] = g.mark === 'other' ? null : (g.keys[d] ?? '');
    if (d in g.names) row[`${d}Name`] = g.names[d as keyof StatsGroup['names']] ?? null;
  }
  return Object.assign(row, reportFigures(g.sums));
}

/** Each row's mark in an approximate answer (`approximation.rows`). */
function marksOf(page: StatsPage): ('exact' | 'lowerBound' | 'other')[] {
  return page.groups.map((g) => g.mark ?? 'exact');
}

/**
 * The CSV leaves out what the JSON answer would (profit for a hide-profit view, a client's hidden fields such as `trafficSourceName`).
 * An approximate answer ends each line with its mark (`approximation`: exact, lowerBound, other).
 */
function* reportCsv(rows: ReportRow[], q: ParsedStatsQuery, scope: AccessScope, page: StatsPage): Generator<string> {
  const keys = q.groupBy.flatMap((d) => (['campaign', 'offer', 'network', 'trafficSource'].includes(d) ? [d, `${d}Name`] : [d]));
  const columns = [...keys, ...REPORT_COLUMNS.filter((c) => !scope.hideProfit || !isProfitField(c))].filter((c) => !scope.hiddenFields.has(c));
  const marks = page.approximation ? marksOf(page) : undefined;
  yield [...columns, ...(marks ? ['approximation'] : [])].join(',') + '\r\n';
  for (const [i, row] of rows.entries()) yield [...columns.map((c) => csvField(row[c])), ...(marks ? [marks[i]] : [])].join(',') + '\r\n';
}
