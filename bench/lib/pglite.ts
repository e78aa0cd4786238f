import { PGlite } from '@electric-sql/pglite';
import { join } from 'node:path';

/** Opens the embedded database a stopped Postwire left in `dataDir`, to count what it stored. */
export async function withEmbedded<T>(dataDir: string, work: (query: <R>(text: string, params?: unknown[]) => Promise<R[]>) => Promise<T>): Promise<T> {
  const db = await PGlite.create({ dataDir: join(dataDir, 'pglite') });
  try {
    return await work(async <R>(text: string, params?: unknown[]) => (await db.query<R>(text, params)).rows);
  } finally {
    await db.close();
  }
}
