import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { createPostgresDatabase } from '../libs/persistence/src/test-support/databases';
import { waitUntil } from './support/wait-until';
import { PostwireProcess } from './support/postwire-process';
import { getJson } from './support/scenario';

/**
 * The postback log cannot be grown for ever by made-up click ids: what one such postback stores is
 * capped, and the worker deletes unattributed and refused rows past POSTBACK_LOG_RETENTION_DAYS.
 */
describe('postback-log retention', () => {
  let tracker: PostwireProcess;
  let worker: PostwireProcess | undefined;
  let sql: Client;
  let dropDb: () => Promise<void>;
  const shared = { QUEUE_PREFIX: 'pwret' + randomBytes(4).toString('hex'), SECRETS_KEY: randomBytes(32).toString('hex'), POSTBACK_LOG_RETENTION_DAYS: '7' };

  beforeAll(async () => {
    const db = await createPostgresDatabase();
    dropDb = db.drop;
    tracker = await PostwireProcess.start({ entry: 'tracker', env: { ...shared, DATABASE_URL: db.url } });
    sql = new Client({ connectionString: db.url });
    await sql.connect();
  });

  afterAll(async () => {
    await sql?.end();
    await worker?.dispose();
    await tracker?.dispose();
    await dropDb?.();
  });

  it('caps the raw parameters stored for a postback naming an unknown click', async () => {
    const query = new URLSearchParams({ click_id: 'nosuchclick-bloat' });
    for (let i = 0; i < 60; i++) query.set(`junk${i}`, 'x'.repeat(100));
    expect(await getJson(`${tracker.url}/postback?${query}`)).toMatchObject({ status: 200, body: { status: 'unattributed' } });
    const { rows } = await sql.query<{ size: number }>(`SELECT octet_length(params::text) AS size FROM postbacks WHERE click_id = 'nosuchclick-bloat'`);
    expect(rows).toHaveLength(1);
    expect(rows[0].size).toBeLessThanOrEqual(2048);
  });

  it('deletes unattributed postbacks and unknown pixel hits older than the retention, on the worker’s schedule', async () => {
    for (const id of ['old-1', 'old-2', 'fresh-1']) expect((await getJson(`${tracker.url}/postback?click_id=nosuchclick-${id}`)).status).toBe(200);
    expect((await fetch(`${tracker.url}/pixel.gif?click_id=nosuchclick-old-pixel`)).status).toBe(200);
    const count = async (ids: string[]) =>
      (await sql.query<{ n: number }>('SELECT count(*)::int AS n FROM postbacks WHERE click_id = ANY($1)', [ids.map((id) => `nosuchclick-${id}`)])).rows[0].n;
    expect(await count(['old-1', 'old-2', 'old-pixel', 'fresh-1'])).toBe(4);
    await sql.query(
      `UPDATE postbacks SET received_at = now() - interval '8 days' WHERE click_id IN ('nosuchclick-old-1', 'nosuchclick-old-2', 'nosuchclick-old-pixel')`,
    );

    worker = await PostwireProcess.start({ entry: 'worker', env: { ...shared, DATABASE_URL: tracker.env.DATABASE_URL!, LOG_LEVEL: 'info' } });
    await waitUntil(async () => (await count(['old-1', 'old-2', 'old-pixel'])) === 0, 20_000, 'expired postback-log rows to be deleted');
    expect(await count(['fresh-1'])).toBe(1);
    // The worker logs after its DELETE commits, so the line may reach us a moment after the rows are gone.
    const logged = /deleted 3 unattributed or rejected postback-log rows older than 7 days/;
    await waitUntil(() => logged.test(worker!.output), 5_000, 'the worker to log what it deleted');
    expect(worker!.output).toMatch(logged);
  });
});
