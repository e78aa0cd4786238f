import type { Readable } from 'node:stream';
import { csvStream, csvTruncatedLine, fieldColumns } from './csv-stream';

interface Row {
  id: number;
  name: string | null;
}

const rows: Row[] = Array.from({ length: 7 }, (_, i) => ({ id: i + 1, name: i === 2 ? '=HYPERLINK("x")' : i === 3 ? null : `row ${i + 1}` }));

async function text(maxRows: number, pageSize = 3): Promise<{ body: string; reads: number }> {
  let reads = 0;
  const file = csvStream<Row, number>({
    filename: 'rows.csv',
    columns: fieldColumns<Row>(['id', 'name']),
    fetchPage: async (after, limit) => {
      reads++;
      return rows.filter((r) => after === undefined || r.id > after).slice(0, limit);
    },
    cursorOf: (r) => r.id,
    pageSize,
    maxRows,
  });
  let body = '';
  for await (const chunk of file.getStream() as Readable) body += String(chunk);
  return { body, reads };
}

describe('csvStream', () => {
  it('streams a header and every row, page by page, each cell made safe', async () => {
    const { body, reads } = await text(100);
    const lines = body.split('\r\n');
    expect(lines[0]).toBe('id,name');
    expect(lines.slice(1, -1)).toHaveLength(7);
    expect(lines[3]).toBe(`3,"'=HYPERLINK(""x"")"`);
    expect(lines[4]).toBe('4,');
    expect(reads).toBe(3);
  });

  it('stops at maxRows and says so on its last line', async () => {
    const { body } = await text(5);
    const lines = body.split('\r\n');
    expect(lines.slice(1, 6).map((l) => l.split(',')[0])).toEqual(['1', '2', '3', '4', '5']);
    expect(body.endsWith(csvTruncatedLine(5))).toBe(true);
  });

  it('adds no such line when the rows end at maxRows', async () => {
    const { body } = await text(7);
    expect(body).not.toContain('export stopped');
    expect(body.trim().split('\r\n')).toHaveLength(8);
  });
});
