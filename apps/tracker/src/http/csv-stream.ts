import { StreamableFile } from '@nestjs/common';
import { csvField, keysetPages, MAX_CSV_ROWS } from '@postwire/core';
import { Readable } from 'node:stream';

/** Rows one read of a CSV export fetches: small enough for flat memory, large enough to keep round trips few. */
export const CSV_PAGE_ROWS = 1000;

/** A CSV column: its header and how a row gives its cell. */
export interface CsvColumn<T> {
  name: string;
  cell: (row: T) => string | number | null | undefined;
}

/** Columns from a list of keys that each name a field of the row (most exports). */
export function fieldColumns<T>(keys: readonly (keyof T & string)[]): CsvColumn<T>[] {
  return keys.map((name) => ({ name, cell: (row) => row[name] as string | number | null | undefined }));
}

/** The line an export ends with when it stopped at its row cap, so a cut is never silent. */
export const csvTruncatedLine = (maxRows: number) => `# export stopped after ${maxRows} rows: narrow the filters (e.g. the date range) for the rest\r\n`;

/**
 * A CSV download streamed page by page by keyset (see keysetPages): memory stays flat whatever the number of
 * rows, every cell goes through csvField (formula-safe), and at most `maxRows` rows are sent.
 */
export function csvStream<T, C>(options: {
  filename: string;
  columns: readonly CsvColumn<T>[];
  fetchPage: (after: C | undefined, limit: number) => Promise<T[]>;
  cursorOf: (row: T) => C;
  pageSize?: number;
  maxRows?: number;
}): StreamableFile {
  const maxRows = options.maxRows ?? MAX_CSV_ROWS;
  const { columns } = options;
  async function* lines(): AsyncGenerator<string> {
    yield columns.map((c) => c.name).join(',') + '\r\n';
    const pages = keysetPages({ fetchPage: options.fetchPage, cursorOf: options.cursorOf, pageSize: options.pageSize ?? CSV_PAGE_ROWS, maxRows });
    for (let step = await pages.next(); ; step = await pages.next()) {
      if (step.done) {
        if (step.value.truncated) yield csvTruncatedLine(maxRows);
        return;
      }
      yield step.value.map((row) => columns.map((c) => csvField(c.cell(row))).join(',') + '\r\n').join('');
    }
  }
  return new StreamableFile(Readable.from(lines()), { type: 'text/csv; charset=utf-8', disposition: `attachment; filename="${options.filename}"` });
}
