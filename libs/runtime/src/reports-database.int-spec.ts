import { loadConfig } from '@postwire/config';
import { PostgresClient } from '@postwire/persistence';
import { TEST_SERVER_URL } from '../../persistence/src/test-support/databases';
import { openReportsClient } from './reports-database';

/** The reports' pool runs without JIT and with REPORT_PARALLEL_WORKERS parallel workers; the click path's pool keeps the server's defaults. */
describe('the reports pool on PostgreSQL', () => {
  const open: PostgresClient[] = [];
  afterAll(async () => {
    for (const c of open) await c.close();
  });

  const settings = async (client: { query: PostgresClient['query'] }) => {
    const { rows } = await client.query<{ jit: string; workers: string; timeout: string }>(
      `SELECT current_setting('jit') AS jit, current_setting('max_parallel_workers_per_gather') AS workers, current_setting('statement_timeout') AS timeout`,
    );
    return rows[0];
  };

  it.each([
    [undefined, '0'],
    ['2', '2'],
  ])('with REPORT_PARALLEL_WORKERS=%s', async (workers, expected) => {
    const config = loadConfig({ DATABASE_URL: TEST_SERVER_URL, ...(workers ? { REPORT_PARALLEL_WORKERS: workers } : {}) });
    const primary = new PostgresClient({ connectionString: TEST_SERVER_URL, max: 1 });
    open.push(primary);
    const reports = openReportsClient(config, primary) as PostgresClient;
    open.push(reports);
    expect(reports).not.toBe(primary);
    expect(await settings(reports)).toEqual({ jit: 'off', workers: expected, timeout: '25s' });
    // Many connections of the pool, not only the first: the settings come with each session.
    const all = await Promise.all(Array.from({ length: 3 }, () => settings(reports)));
    expect(all.every((s) => s.jit === 'off' && s.workers === expected)).toBe(true);
    expect((await settings(primary)).timeout).toBe('0');
  });
});
