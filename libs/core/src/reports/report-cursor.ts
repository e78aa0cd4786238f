import { createHash } from 'node:crypto';

/**
 * The opaque `cursor` of a report page: where the next page starts, bound to the query it came
 * from. A cursor replayed with other filters, range, grouping or sort would silently page through
 * another report, so it carries a digest of the query and is refused for any other.
 */
export interface ReportCursor {
  offset: number;
}

/** A stable digest of what defines a report's rows (not the page size). */
export function reportQueryDigest(query: Record<string, unknown>): string {
  const canonical = JSON.stringify(query, (_key, value: unknown) =>
    value && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date)
      ? Object.fromEntries(Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
      : value,
  );
  return createHash('sha256').update(canonical).digest('base64url').slice(0, 16);
}

export function encodeReportCursor(cursor: ReportCursor, digest: string): string {
  return Buffer.from(JSON.stringify({ o: cursor.offset, q: digest })).toString('base64url');
}

/** The cursor's page start, or why it is refused. */
export function decodeReportCursor(text: string, digest: string): { ok: true; cursor: ReportCursor } | { ok: false; reason: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'is not a cursor this report gave' };
  }
  const { o, q } = (parsed ?? {}) as { o?: unknown; q?: unknown };
  if (typeof o !== 'number' || !Number.isSafeInteger(o) || o < 0 || typeof q !== 'string') return { ok: false, reason: 'is not a cursor this report gave' };
  if (q !== digest) return { ok: false, reason: 'belongs to another report query (range, zone, grouping, filters or sort changed); start again without it' };
  return { ok: true, cursor: { offset: o } };
}
