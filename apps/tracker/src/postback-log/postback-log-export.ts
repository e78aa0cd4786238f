import type { StreamableFile } from '@nestjs/common';
import type { PostbackLogRepository, ReceivedPostback, ReceivedPostbackCursor, ReceivedPostbackFilter } from '@postwire/persistence';
import { csvStream, type CsvColumn } from '../http/csv-stream';

const column = <K extends keyof ReceivedPostback>(name: K, cell?: (row: ReceivedPostback) => string | number | null): CsvColumn<ReceivedPostback> => ({
  name,
  cell: cell ?? ((row) => row[name] as string | number | null),
});

const COLUMNS: CsvColumn<ReceivedPostback>[] = [
  column('id'),
  column('receivedAt', (row) => new Date(row.receivedAt).toISOString()),
  column('channel'),
  column('networkId'),
  column('clickId'),
  { name: 'txid', cell: (row) => (typeof row.canonical?.txid === 'string' ? row.canonical.txid : null) },
  column('ip'),
  column('method'),
  column('path'),
  column('httpStatus'),
  column('outcome'),
  column('reasonCode'),
  column('reason'),
  column('conversionId'),
  column('repeats'),
  column('isTest', (row) => String(row.isTest)),
  // Masked and capped as stored (see RefusalLog and capParams).
  column('params', (row) => JSON.stringify(row.params)),
];

/** The filtered postback log as a CSV download, walked by keyset (newest first). */
export function postbackLogCsv(log: PostbackLogRepository, filter: ReceivedPostbackFilter): StreamableFile {
  return csvStream<ReceivedPostback, ReceivedPostbackCursor>({
    filename: 'postbacks.csv',
    columns: COLUMNS,
    fetchPage: (after, limit) => log.after(filter, after, limit),
    cursorOf: (row) => ({ receivedAt: row.receivedAt, id: row.id }),
  });
}
