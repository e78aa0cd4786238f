import { StreamableFile } from '@nestjs/common';
import { csvField } from '@postwire/core';
import type { PostbackLogRepository, ReceivedPostback, ReceivedPostbackCursor, ReceivedPostbackFilter } from '@postwire/persistence';
import { Readable } from 'node:stream';
import { MAX_EXPORT_ROWS } from './postback-log-query';

const EXPORT_PAGE = 1000;
const COLUMNS = [
  'id',
  'receivedAt',
  'channel',
  'networkId',
  'clickId',
  'txid',
  'ip',
  'method',
  'path',
  'httpStatus',
  'outcome',
  'reasonCode',
  'reason',
  'conversionId',
  'repeats',
  'isTest',
  'params',
] as const;

/** The filtered postback log as CSV, walked by keyset page by page so memory stays flat; at most {@link MAX_EXPORT_ROWS} rows. */
export function postbackLogCsv(log: PostbackLogRepository, filter: ReceivedPostbackFilter): StreamableFile {
  async function* lines(): AsyncGenerator<string> {
    yield COLUMNS.join(',') + '\r\n';
    let cursor: ReceivedPostbackCursor | undefined;
    for (let written = 0; written < MAX_EXPORT_ROWS;) {
      const page = await log.after(filter, cursor, Math.min(EXPORT_PAGE, MAX_EXPORT_ROWS - written));
      if (page.length) yield page.map(line).join('');
      written += page.length;
      if (page.length < EXPORT_PAGE) return;
      const last = page[page.length - 1];
      cursor = { receivedAt: last.receivedAt, id: last.id };
    }
  }
  return new StreamableFile(Readable.from(lines()), { type: 'text/csv; charset=utf-8', disposition: 'attachment; filename="postbacks.csv"' });
}

function line(row: ReceivedPostback): string {
  const txid = row.canonical?.txid;
  const values: Record<(typeof COLUMNS)[number], string | number | null> = {
    id: row.id,
    receivedAt: new Date(row.receivedAt).toISOString(),
    channel: row.channel,
    networkId: row.networkId,
    clickId: row.clickId,
    txid: typeof txid === 'string' ? txid : null,
    ip: row.ip,
    method: row.method,
    path: row.path,
    httpStatus: row.httpStatus,
    outcome: row.outcome,
    reasonCode: row.reasonCode,
    reason: row.reason,
    conversionId: row.conversionId,
    repeats: row.repeats,
    isTest: String(row.isTest),
    params: JSON.stringify(row.params),
  };
  return COLUMNS.map((k) => csvField(values[k])).join(',') + '\r\n';
}
