/**
 * Baseline for the click path on PostgreSQL: the physical limit of a durable click on this machine.
 * A bare Fastify route that stores the same click row Postwire stores (id, campaign, external id,
 * the ten subs, IP, User-Agent, time) in the same `clicks` table with the same indexes, group-
 * committed the way the tracker's writer does it (the clicks parsed while a batch is in flight form
 * the next one, one `INSERT … SELECT FROM unnest(…)`, at most 2 batches in flight, ≤ 1,000 rows), with
 * `synchronous_commit` on, and answers the 302 only after its batch committed. No campaign lookup
 * (the campaign and offer URL are given), no enrichment, no rollups, no security headers, no guards.
 */
import { randomBytes } from 'node:crypto';
import Fastify from 'fastify';
import { Pool } from 'pg';

const SUBS = ['sub1', 'sub2', 'sub3', 'sub4', 'sub5', 'sub6', 'sub7', 'sub8', 'sub9', 'sub10'];
const COLUMNS = ['id', 'campaign_id', 'external_id', ...SUBS, 'ip', 'user_agent', 'created_at'];
const TYPES = ['text', 'uuid', 'text', ...SUBS.map(() => 'text'), 'text', 'text', 'timestamptz'];
// ON CONFLICT names no columns, as the tracker's: the key is (id, created_at) on the partitioned table that
// PostgreSQL installs now, and naming (id) alone there fails every batch (every click answered 503).
const INSERT = `INSERT INTO clicks (${COLUMNS.join(', ')}) SELECT * FROM unnest(${TYPES.map((t, i) => `$${i + 1}::${t}[]`).join(', ')}) ON CONFLICT DO NOTHING`;
const MAX_IN_FLIGHT = 2;
const MAX_BATCH = 1000;

interface Waiting {
  row: unknown[];
  done: (error?: Error) => void;
}

const campaignId = process.env.BASELINE_CAMPAIGN_ID ?? '';
const pool = new Pool({
  connectionString: process.env.DATABASE_URL,
  max: MAX_IN_FLIGHT,
  application_name: 'postwire-bench-baseline',
  // Durable: every batch waits for its WAL flush, whatever the server's default is.
  options: '-c synchronous_commit=on',
});
const waiting: Waiting[] = [];
let inFlight = 0;
let scheduled = false;
/** The first failed batch is told on stderr: a baseline that stores nothing is no baseline. */
let toldFailure = false;

function schedule(): void {
  if (scheduled) return;
  scheduled = true;
  // Every click parsed in this event-loop turn joins the batch.
  setImmediate(() => {
    scheduled = false;
    flush();
  });
}

function flush(): void {
  while (inFlight < MAX_IN_FLIGHT && waiting.length) {
    const batch = waiting.splice(0, MAX_BATCH);
    const columns = COLUMNS.map((_, c) => batch.map((w) => w.row[c]));
    inFlight++;
    pool.query(INSERT, columns).then(
      () => settle(batch),
      (error: Error) => settle(batch, error),
    );
  }
}

function settle(batch: Waiting[], error?: Error): void {
  inFlight--;
  if (error && !toldFailure) {
    toldFailure = true;
    process.stderr.write(`durable baseline: a batch failed: ${error.message}\n`);
  }
  for (const w of batch) w.done(error);
  if (waiting.length) flush();
}

const id = () => randomBytes(15).toString('hex');

async function main(): Promise<void> {
  const app = Fastify({ logger: false });
  app.get('/c/:campaign', (req, reply) => {
    const q = req.query as Record<string, string | undefined>;
    const clickId = id();
    const row = [clickId, campaignId, q.external_id ?? null, ...SUBS.map((s) => q[s] ?? null), req.ip, req.headers['user-agent'] ?? null, new Date()];
    waiting.push({
      row,
      done: (error) => {
        if (error) return void reply.code(503).send();
        void reply
          .code(302)
          .header('location', `https://offer.example/land?cid=${clickId}&camp=${campaignId}&s1=${q.sub1 ?? ''}`)
          .header('cache-control', 'no-store')
          .header('set-cookie', `pw_click=${clickId}; Max-Age=2592000; Path=/; HttpOnly; SameSite=Lax`)
          .send();
      },
    });
    schedule();
  });
  await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
  process.stdout.write('ready\n');
  process.on('SIGTERM', () => void app.close().then(() => pool.end().then(() => process.exit(0))));
}

main().catch((error: Error) => {
  process.stderr.write(`${error.stack}\n`);
  process.exit(1);
});
