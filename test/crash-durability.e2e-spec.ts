import { join } from 'node:path';
import { Client } from 'pg';
import { PgliteClient } from '../libs/persistence/src/client/pglite-client';
import { createPostgresDatabase, TEST_PGLITE_OPTIONS } from '../libs/persistence/src/test-support/databases';
import { PostwireProcess } from './support/postwire-process';
import { setUpCampaign } from './support/scenario';
import { waitUntil } from './support/wait-until';

/** Bounds of the load: whichever is reached first ends it. */
const MAX_CLICKS = 20_000;
const MAX_LOAD_MS = 30_000;
const CONCURRENCY = 32;
/**
 * The kill lands once this many clicks were answered, while requests are in flight. A count, not a time:
 * on a busy machine an embedded app answered 20 clicks in the 1.5 s a fixed delay gave it.
 */
const KILL_AFTER_ANSWERED = 150;

/**
 * Clicks under load, then `kill -9` of the process answering them: on restart, every click whose
 * 302 reached the visitor must be in the database (ids read from the Location headers). A click
 * answered from memory and written later would be lost in the kill.
 */
describe.each([
  ['PostgreSQL', 'tracker'],
  ['PGlite', 'standalone'],
] as const)('crash durability (%s): no answered click is lost to kill -9', (_name, entry) => {
  let app: PostwireProcess;
  let dropDb: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    const env: Record<string, string> = { RATE_LIMIT_IP_PER_MIN: '0' };
    if (entry === 'tracker') {
      const db = await createPostgresDatabase();
      dropDb = db.drop;
      env.DATABASE_URL = db.url;
    }
    app = await PostwireProcess.start({ entry, env });
  });

  afterAll(async () => {
    await app?.dispose();
    await dropDb?.();
  });

  async function storedIds(ids: readonly string[]): Promise<Set<string>> {
    if (entry === 'tracker') {
      const sql = new Client({ connectionString: app.env.DATABASE_URL });
      await sql.connect();
      try {
        const { rows } = await sql.query<{ id: string }>('SELECT id FROM clicks WHERE id = ANY($1)', [ids]);
        return new Set(rows.map((r) => r.id));
      } finally {
        await sql.end();
      }
    }
    // PGlite is one process's database: read it once the restarted app has let go of it.
    await app.stop();
    const db = await PgliteClient.open(join(app.dataDir, 'pglite'), TEST_PGLITE_OPTIONS);
    try {
      const { rows } = await db.query<{ id: string }>('SELECT id FROM clicks WHERE id = ANY($1)', [ids]);
      return new Set(rows.map((r) => r.id));
    } finally {
      await db.close();
    }
  }

  it('stores every click answered with a 302 before the kill', async () => {
    const { campaignId } = await setUpCampaign(app, 'http://127.0.0.1:9');
    const answered: string[] = [];
    let sent = 0;
    const started = Date.now();
    const worker = async () => {
      while (sent < MAX_CLICKS && Date.now() - started < MAX_LOAD_MS) {
        sent++;
        try {
          const res = await fetch(`${app.url}/c/${campaignId}?sub1=crash`, { redirect: 'manual' });
          if (res.status === 302) answered.push(new URL(res.headers.get('location')!).searchParams.get('cid')!);
        } catch {
          return; // the process is gone
        }
      }
    };
    const load = Promise.all(Array.from({ length: CONCURRENCY }, worker));
    await waitUntil(() => answered.length >= KILL_AFTER_ANSWERED, MAX_LOAD_MS, `${KILL_AFTER_ANSWERED} answered clicks`, 10);
    await app.stop('SIGKILL');
    await load;
    // The kill must have landed under load, not after it finished.
    expect(sent).toBeLessThan(MAX_CLICKS);
    expect(Date.now() - started).toBeLessThan(MAX_LOAD_MS);
    expect(answered.length).toBeGreaterThanOrEqual(KILL_AFTER_ANSWERED);

    await app.boot();
    const stored = await storedIds(answered);
    const lost = answered.filter((id) => !stored.has(id));
    expect({ answered: answered.length, lost: lost.slice(0, 10), lostCount: lost.length }).toEqual({ answered: answered.length, lost: [], lostCount: 0 });
  });
});
