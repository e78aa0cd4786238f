/**
 * The bounds every paged list of the admin API shares (docs/api.md, "Paged lists"). One place, so the
 * query schema, the count, the CSV export and the docs cannot disagree.
 */
export const PAGE_LIMIT = { min: 1, max: 500, default: 50 } as const;
/** The furthest a page may start: deeper than this, narrow the filter or export CSV. */
export const MAX_PAGE_OFFSET = 1_000_000;
/**
 * A list counts at most this many matching rows (`count(*)` over `LIMIT COUNT_CAP + 1`): counting every
 * row of a table with millions would make each page as slow as a full scan. Past it, the total is a lower bound.
 */
export const COUNT_CAP = 100_000;
/** The most rows one CSV export streams; the export says so in its last line when it stops there. */
export const MAX_CSV_ROWS = 1_000_000;
