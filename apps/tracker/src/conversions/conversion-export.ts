import { Injectable, type StreamableFile } from '@nestjs/common';
import { fromMicros, toMicros } from '@postwire/core';
import { ReportRepository, StatsRepository, type ConversionListFilter, type ExportedConversion } from '@postwire/persistence';
import { csvStream, type CsvColumn } from '../http/csv-stream';
import { ApiError } from '../http/api-error';
import { parseConversionExportQuery } from '../reports';

const SUBS = ['sub1', 'sub2', 'sub3', 'sub4', 'sub5', 'sub6', 'sub7', 'sub8', 'sub9', 'sub10'] as const;
const FILENAME = 'conversions.csv';

const money = (v: string | null) => (v === null ? null : fromMicros(toMicros(v)));
const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());
const field = (key: keyof ExportedConversion & string): CsvColumn<ExportedConversion> => ({ name: key, cell: (c) => c[key] as string | null });

/** The conversions CSV's columns, in order (the same for both exports; `isTest` last, added with the list's export). */
const CONVERSION_CSV: readonly CsvColumn<ExportedConversion>[] = [
  ...(['id', 'clickId', 'campaignId', 'campaignName', 'offerId', 'networkId', 'trafficSourceId', 'goal', 'txid', 'status'] as const).map(field),
  { name: 'payout', cell: (c) => money(c.payout) },
  { name: 'revenue', cell: (c) => money(c.revenue) },
  field('currency'),
  field('source'),
  { name: 'clickAt', cell: (c) => iso(c.clickAt) },
  { name: 'createdAt', cell: (c) => iso(c.createdAt) },
  { name: 'updatedAt', cell: (c) => iso(c.updatedAt) },
  ...(['country', 'deviceType', 'os', 'browser', ...SUBS] as const).map(field),
  { name: 'isTest', cell: (c) => String(c.isTest) },
];

const cursorOf = (c: ExportedConversion) => ({ at: c.sortAt, id: c.id });

/** The conversions CSV exports, streamed page by page by keyset so memory stays flat (see csvStream). */
@Injectable()
export class ConversionExport {
  constructor(
    private readonly stats: StatsRepository,
    private readonly reports: ReportRepository,
  ) {}

  /** The list's filtered rows, newest first (`GET /api/conversions?format=csv` with the list's filters). */
  listCsv(filter: ConversionListFilter): StreamableFile {
    return csvStream({
      filename: FILENAME,
      columns: CONVERSION_CSV,
      fetchPage: (after, limit) => this.reports.exportConversionList(filter, after, limit),
      cursorOf,
    });
  }

  /**
   * The stats report's range and filters, oldest first by click (or conversion) time, without tests: the export
   * a CSV query naming a report parameter gets. `allowedCampaignIds` narrows it to a client's campaigns (null = all).
   */
  reportRangeCsv(query: unknown, allowedCampaignIds: readonly string[] | null = null): StreamableFile {
    const parsed = parseConversionExportQuery(query);
    if ('path' in parsed) throw ApiError.badParameter(parsed.path, parsed.message);
    const q = { ...parsed, ...(allowedCampaignIds ? { allowedCampaignIds: [...allowedCampaignIds] } : {}) };
    return csvStream({
      filename: FILENAME,
      columns: CONVERSION_CSV,
      fetchPage: (after, limit) => this.stats.exportConversions(q, after, limit),
      cursorOf,
    });
  }
}
