import { COUNT_CAP } from '@postwire/core';
import { pagedQuery, whereBuilder } from './repositories/paged-query';
import { BOTH_DRIVERS, openTestDatabase, type TestDatabase } from './test-support/databases';

const ROWS = COUNT_CAP + 5;

/**
 * The shared page query against a real database: pages in order without overlap, the exact total up to
 * the cap, and past it the cap with totalIsLowerBound. A scratch table keeps the counts exact.
 */
describe.each(BOTH_DRIVERS)('pagedQuery over %s', (driver) => {
  let db: TestDatabase;
  const list = (where: string[] = [], params: unknown[] = []) => ({ columns: 'n, odd', from: 'paging_rows', where, params, orderBy: 'n DESC' });

  beforeAll(async () => {
    db = await openTestDatabase(driver);
    await db.client.query(`CREATE TABLE paging_rows (n int PRIMARY KEY, odd boolean NOT NULL)`);
    await db.client.query(`INSERT INTO paging_rows SELECT i, i % 2 = 1 FROM generate_series(1, ${ROWS}) AS g(i)`);
  }, 120_000);

  afterAll(async () => {
    await db?.drop();
  });

  it('counts an exact total under the cap, and pages by offset without overlap', async () => {
    const f = whereBuilder();
    f.add('n <= ?', 515);
    const first = await pagedQuery<{ n: number; odd: boolean }>(db.client, list(f.where, f.params), { limit: 500, offset: 0 });
    const second = await pagedQuery<{ n: number; odd: boolean }>(db.client, list(f.where, f.params), { limit: 500, offset: 500 });
    expect([first.total, first.totalIsLowerBound, first.items.length, second.items.length]).toEqual([515, false, 500, 15]);
    expect(first.items[0].n).toBe(515);
    expect(second.items.map((r) => r.n)).toEqual(Array.from({ length: 15 }, (_, i) => 15 - i));
    expect(second).toMatchObject({ limit: 500, offset: 500, total: 515 });
  });

  it('stops counting past the cap and says the total is a lower bound', async () => {
    const page = await pagedQuery<{ n: number }, number>(db.client, list(), { limit: 3, offset: 10 }, (r) => r.n);
    expect(page).toEqual({ items: [ROWS - 10, ROWS - 11, ROWS - 12], total: COUNT_CAP, totalIsLowerBound: true, limit: 3, offset: 10 });
  });

  it('is exact at the cap itself', async () => {
    const f = whereBuilder();
    f.add('n <= ?', COUNT_CAP);
    const page = await pagedQuery(db.client, list(f.where, f.params), { limit: 1, offset: 0 });
    expect([page.total, page.totalIsLowerBound]).toEqual([COUNT_CAP, false]);
  });

  it('binds every parameter of a filter, also one used twice', async () => {
    const f = whereBuilder();
    f.add('odd = ?', true);
    f.add('n BETWEEN ? AND ? + 9', 100);
    const page = await pagedQuery<{ n: number }, number>(db.client, list(f.where, f.params), { limit: 50, offset: 0 }, (r) => r.n);
    expect(page).toMatchObject({ items: [109, 107, 105, 103, 101], total: 5, totalIsLowerBound: false });
  });
});
