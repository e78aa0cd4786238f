import { Injectable, StreamableFile } from '@nestjs/common';
import { csvField, fromMicros, toMicros } from '@postwire/core';
import { StatsRepository, type ExportedConversion } from '@postwire/persistence';
import { Readable } from 'node:stream';
import { ApiError } from '../http/api-error';
import { parseConversionExportQuery } from '../reports';

const EXPORT_PAGE = 1000;
const SUBS = ['sub1', 'sub2', 'sub3', 'sub4', 'sub5', 'sub6', 'sub7', 'sub8', 'sub9', 'sub10'];
const CONVERSION_CSV = [
  'id',
  'clickId',
  'campaignId',
  'campaignName',
  'offerId',
  'networkId',
  'trafficSourceId',
  'goal',
  'txid',
  'status',
  'payout',
  'revenue',
  'currency',
  'source',
  'clickAt',
  'createdAt',
  'updatedAt',
  'country',
  'deviceType',
  'os',
  'browser',
  ...SUBS,
] as const;

/** The conversions CSV export: the stats report's range and filters, streamed page by page so memory stays flat. */
@Injectable()
export class ConversionExport {
  constructor(private readonly stats: StatsRepository) {}

  /** `GET /api/conversions` as CSV (see ActivityController): pages through the conversions, streaming. */
  /** `allowedCampaignIds` narrows the export to a client's campaigns (null = all). */
  csv(query: unknown, allowedCampaignIds: readonly string[] | null = null): StreamableFile {
    const parsed = parseConversionExportQuery(query);
    if ('path' in parsed) throw ApiError.badParameter(parsed.path, parsed.message);
    const q = { ...parsed, ...(allowedCampaignIds ? { allowedCampaignIds: [...allowedCampaignIds] } : {}) };
    const stats = this.stats;
    async function* lines(): AsyncGenerator<string> {
      yield CONVERSION_CSV.join(',') + '\r\n';
      let cursor: { at: Date; id: string } | undefined;
      for (;;) {
        const page = await stats.exportConversions(q as Parameters<StatsRepository['exportConversions']>[0], cursor, EXPORT_PAGE);
        if (page.length) yield page.map(conversionLine).join('');
        if (page.length < EXPORT_PAGE) return;
        const last = page[page.length - 1];
        cursor = { at: last.sortAt, id: last.id };
      }
    }
    return new StreamableFile(Readable.from(lines()), { type: 'text/csv; charset=utf-8', disposition: 'attachment; filename="conversions.csv"' });
  }
}

function conversionLine(c: ExportedConversion): string {
  const money = (v: string | null) => (v === null ? null : fromMicros(toMicros(v)));
  const values: Record<string, string | number | null> = {
    ...(c as unknown as Record<string, string | null>),
    payout: money(c.payout),
    revenue: money(c.revenue),
    clickAt: c.clickAt ? new Date(c.clickAt).toISOString() : null,
    createdAt: new Date(c.createdAt).toISOString(),
    updatedAt: new Date(c.updatedAt).toISOString(),
  };
  return CONVERSION_CSV.map((k) => csvField(values[k])).join(',') + '\r\n';
}
