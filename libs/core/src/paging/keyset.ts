/**
 * Walks a list page by page by keyset (each page starts after the previous page's last row), so a long
 * export reads every row once, whatever its size, with memory bounded by one page. `fetchPage` gets the
 * cursor of the row to continue after (undefined at the start) and how many rows to read. It stops at
 * `maxRows`; its return value says whether rows were left unread then (`truncated`), so an export can say so.
 */
export async function* keysetPages<T, C>(options: {
  fetchPage: (after: C | undefined, limit: number) => Promise<T[]>;
  cursorOf: (row: T) => C;
  pageSize: number;
  maxRows: number;
}): AsyncGenerator<T[], { truncated: boolean }, undefined> {
  let after: C | undefined;
  let sent = 0;
  for (;;) {
    const remaining = options.maxRows - sent;
    // Near the cap, one row more than may be sent is read: it tells whether the cap cut anything off.
    const asked = Math.min(options.pageSize, remaining + 1);
    const rows = await options.fetchPage(after, asked);
    const page = rows.slice(0, remaining);
    if (page.length) yield page;
    sent += page.length;
    if (rows.length > remaining) return { truncated: true };
    if (rows.length < asked) return { truncated: false };
    after = options.cursorOf(rows[rows.length - 1]);
  }
}
