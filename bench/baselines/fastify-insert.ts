/**
 * Baseline for the postback path: a bare Fastify route doing the naive thing, one plain INSERT
 * per request (autocommit, no transaction, no lookup, no dedup, no outbox) into the same
 * PostgreSQL server, or into its own embedded PGlite for the embedded scenario.
 */
import { PGlite } from '@electric-sql/pglite';
import Fastify from 'fastify';
import { Pool } from 'pg';

type Query = (text: string, params?: unknown[]) => Promise<unknown>;

async function open(): Promise<Query> {
  const ddl = `CREATE TABLE IF NOT EXISTS bench_baseline_postbacks (
    id bigserial PRIMARY KEY, click_id text NOT NULL, txid text, amount numeric(18, 6), received_at timestamptz NOT NULL)`;
  if (process.env.DATABASE_URL) {
    // pg's default pool size, and Postwire's: the naive app would not tune it either.
    const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 10, application_name: 'postwire-bench-baseline' });
    await pool.query(ddl);
    return (text, params) => pool.query(text, params);
  }
  const db = await PGlite.create({ dataDir: process.env.PGLITE_DIR });
  await db.exec(ddl);
  return (text, params) => db.query(text, params);
}

async function main(): Promise<void> {
  const query = await open();
  const app = Fastify({ logger: false });
  app.get('/postback', async (req) => {
    const q = req.query as Record<string, string | undefined>;
    await query('INSERT INTO bench_baseline_postbacks (click_id, txid, amount, received_at) VALUES ($1, $2, $3, $4)', [
      q.click_id,
      q.txid ?? null,
      q.amount ?? null,
      new Date(),
    ]);
    return { status: 'accepted' };
  });
  await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
  process.stdout.write('ready\n');
  process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
}

main().catch((error: Error) => {
  process.stderr.write(`${error.stack}\n`);
  process.exit(1);
});
