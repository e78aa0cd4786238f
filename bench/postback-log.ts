/**
 * The postback log at BENCH_LOG_ROWS rows (default 1,000,000) over 40 days, plain against partitioned
 * (docs/storage.md#the-postback-log): what a page of GET /api/postbacks costs with each filter, what
 * retention costs (DELETE in batches, then the VACUUM it leaves, against dropping whole days), and what
 * `npm run db:partition` costs on the plain log while a loop keeps writing postbacks into it.
 * Three scratch PostgreSQL databases, filled by the same SQL: plain, plain-then-converted, partitioned.
 * Prints the median of 5 runs of each page (the page and its capped count, as the API runs them).
 *
 *   npm run build && npm run bench:build && node .bench-build/bench/postback-log.js
 */
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { PostgresClient } from '../libs/persistence/src/client/postgres-client';
import { migrate } from '../libs/persistence/src/migrations/migrator';
import { convertPostbackLog } from '../libs/persistence/src/partitions/postback-log-conversion';
import { POSTBACK_LOG_EXPIRING } from '../libs/persistence/src/partitions/postback-log-partitions';
import { preparePartitions } from '../libs/persistence/src/partitions/prepare-partitions';
import { TimePartitions } from '../libs/persistence/src/partitions/time-partitions';
import { PostbackLogRepository, type ReceivedPostbackFilter } from '../libs/persistence/src/repositories/postback-log.repository';
import { PostbackLogRetention } from '../libs/persistence/src/repositories/postback-log-retention';
import { seedCampaign } from '../libs/persistence/src/test-support/seed-campaign';
import { createDatabase, type ScratchDatabase } from './lib/infra';

const ROWS = Number(process.env.BENCH_LOG_ROWS ?? 1_000_000);
const DAY = 86_400_000;
const SPAN_DAYS = 40;
/** Which of the three databases to make: BENCH_LOG_PARTS=plain,converted,partitioned (all by default). */
const PARTS = (process.env.BENCH_LOG_PARTS ?? 'plain,converted,partitioned').split(',');
const RETENTION_DAYS = 30;
const now = Date.now();
/** The SQL files in the source tree: the compiled bench has no copy of them. */
const MIGRATIONS = join(__dirname, '../../libs/persistence/src/migrations/sql');

/** One in 20 rows per outcome slot: 30 % kept (accepted, duplicate), 70 % expiring (unattributed, refused, rejected). */
const OUTCOMES = [
  ...Array<string>(5).fill('accepted'),
  'duplicate',
  ...Array<string>(10).fill('unattributed'),
  ...Array<string>(3).fill('refused'),
  'rejected',
];
const REASONS: Record<string, string> = {
  accepted: 'accepted',
  duplicate: 'duplicate',
  unattributed: 'unknown_click',
  refused: 'bad_signature',
  rejected: 'outside_window',
};

async function fill(client: PostgresClient, networks: string[]): Promise<number> {
  const started = performance.now();
  const chunk = 200_000;
  for (let first = 1; first <= ROWS; first += chunk) {
    await client.query(
      `INSERT INTO postbacks (received_at, channel, network_id, click_id, params, canonical, ip, outcome, reason_code, expires)
       SELECT $1::timestamptz - (i * (${SPAN_DAYS} * 86400.0 / ${ROWS})) * interval '1 second', 's2s', ($2::uuid[])[i % 2 + 1], 'click-' || (i % 300000),
              jsonb_build_object('click_id', 'click-' || (i % 300000), 'txid', 'tx-' || i, 'payout', '2.50', 'sub1', 'zone-' || (i % 5000), 'ua', repeat('x', 60)),
              CASE WHEN o IN ('accepted', 'duplicate') THEN jsonb_build_object('txid', 'tx-' || i, 'payout', '2.50', 'status', 'approved') END,
              '10.' || (i % 250) || '.' || (i % 199) || '.7', o, ($3::jsonb) ->> o, o IN ('unattributed', 'rejected', 'refused')
       FROM generate_series($4::int, $5::int) AS g(i) CROSS JOIN LATERAL (SELECT ($6::text[])[i % 20 + 1] AS o) x`,
      [new Date(now), networks, JSON.stringify(REASONS), first, Math.min(ROWS, first + chunk - 1), OUTCOMES],
    );
  }
  await client.query('ANALYZE postbacks');
  return (performance.now() - started) / 1000;
}

async function open(partitioned: boolean): Promise<{ db: ScratchDatabase; client: PostgresClient; networks: string[] }> {
  const db = await createDatabase();
  const client = new PostgresClient({ connectionString: db.url, max: 4 });
  await migrate(client, MIGRATIONS);
  if (partitioned) {
    await preparePartitions(client);
    // The days the data covers, as the maintainer would have made them over those days.
    await new TimePartitions(client, POSTBACK_LOG_EXPIRING).ensureAhead(new Date(now - (SPAN_DAYS + 1) * DAY), SPAN_DAYS + 8);
  }
  const networks = [(await seedCampaign(client)).network.id, (await seedCampaign(client)).network.id];
  return { db, client, networks };
}

async function pages(label: string, client: PostgresClient, networks: string[]): Promise<void> {
  const log = new PostbackLogRepository(client);
  const shapes: Array<[string, ReceivedPostbackFilter, number]> = [
    ['newest 50', {}, 0],
    ['offset 10,000', {}, 10_000],
    ['outcome accepted', { outcome: 'accepted' }, 0],
    ['reason bad_signature', { reasonCode: 'bad_signature' }, 0],
    ['network + last 7 days', { networkId: networks[1], from: new Date(now - 7 * DAY), to: new Date(now) }, 0],
    ['one click id', { clickId: 'click-150000' }, 0],
    ['search a txid', { search: `tx-${Math.floor(ROWS / 2)}` }, 0],
    ['one day, refused', { outcome: 'refused', from: new Date(now - 10 * DAY), to: new Date(now - 9 * DAY) }, 0],
  ];
  console.log(`\n${label}: a page of 50 and its capped total (median of 5)`);
  for (const [name, filter, offset] of shapes) {
    const times: number[] = [];
    let total = 0;
    let lower = false;
    for (let run = 0; run < 5; run++) {
      const t = performance.now();
      const page = await log.page(filter, { limit: 50, offset });
      times.push(performance.now() - t);
      total = page.total;
      lower = page.totalIsLowerBound;
    }
    times.sort((a, b) => a - b);
    console.log(`  ${name.padEnd(24)} ${times[2].toFixed(1).padStart(8)} ms   total ${total}${lower ? '+' : ''}`);
  }
}

async function size(client: PostgresClient): Promise<string> {
  const { rows } = await client.query<{ mb: number }>(
    `SELECT round(sum(pg_total_relation_size(c.oid)) / 1048576.0)::int AS mb FROM pg_class c
     WHERE c.relkind = 'r' AND (c.relname = 'postbacks' OR c.relname LIKE 'postbacks\\_%') AND c.relname NOT LIKE 'postbacks_refusals%'`,
  );
  return `${rows[0].mb} MB`;
}

async function main(): Promise<void> {
  const cutoff = new Date(now - RETENTION_DAYS * DAY);

  if (PARTS.includes('plain')) await plainLog(cutoff);
  if (PARTS.includes('converted')) await convertedLog();
  if (PARTS.includes('partitioned')) await partitionedLog(cutoff);
}

async function plainLog(cutoff: Date): Promise<void> {
  const plain = await open(false);
  try {
    console.log(`plain log: ${ROWS} rows written in ${(await fill(plain.client, plain.networks)).toFixed(1)} s, ${await size(plain.client)}`);
    await pages('plain', plain.client, plain.networks);
    let t = performance.now();
    const deleted = await new PostbackLogRetention(plain.client).deleteExpired(cutoff, 1000);
    const deleting = (performance.now() - t) / 1000;
    t = performance.now();
    await plain.client.query('VACUUM postbacks');
    console.log(
      `\nretention, plain: DELETE of ${deleted} rows in batches ${deleting.toFixed(1)} s, then VACUUM ${((performance.now() - t) / 1000).toFixed(1)} s`,
    );
  } finally {
    await plain.client.close();
    await plain.db.drop();
  }
}

async function convertedLog(): Promise<void> {
  const converted = await open(false);
  try {
    await fill(converted.client, converted.networks);
    // A writer beside the conversion: one postback-log row at a time, as a trickle of postbacks would.
    const writer = new PostgresClient({ connectionString: converted.db.url, max: 1 });
    let writing = true;
    const latencies: number[] = [];
    const loop = (async () => {
      while (writing) {
        const t = performance.now();
        await writer.query(
          `INSERT INTO postbacks (channel, click_id, params, outcome, reason_code, expires) VALUES ('s2s', 'during', '{}', 'unattributed', 'unknown_click', true)`,
        );
        latencies.push(performance.now() - t);
      }
    })();
    const t = performance.now();
    const result = await convertPostbackLog(converted.client, { online: true }).finally(() => (writing = false));
    const took = (performance.now() - t) / 1000;
    await loop;
    await writer.close();
    latencies.sort((a, b) => a - b);
    console.log(
      `\nconversion (db:partition, online) of ${result.rows} rows: ${took.toFixed(1)} s; ${latencies.length} inserts beside it, ` +
        `p50 ${latencies[Math.floor(latencies.length / 2)].toFixed(1)} ms, slowest ${latencies[latencies.length - 1].toFixed(0)} ms`,
    );
    const { rows } = await converted.client.query<{ n: number }>(`SELECT count(*)::int AS n FROM postbacks`);
    console.log(`  rows after: ${rows[0].n} (${ROWS} + ${latencies.length} written beside it)`);
  } finally {
    await converted.client.close();
    await converted.db.drop();
  }
}

async function partitionedLog(cutoff: Date): Promise<void> {
  const partitioned = await open(true);
  try {
    console.log(
      `\npartitioned log: ${ROWS} rows written in ${(await fill(partitioned.client, partitioned.networks)).toFixed(1)} s, ${await size(partitioned.client)}`,
    );
    await pages('partitioned', partitioned.client, partitioned.networks);
    const t = performance.now();
    const pruned = await new PostbackLogRetention(partitioned.client).prune(cutoff);
    console.log(
      `\nretention, partitioned: ${pruned.dropped.length} day partitions dropped, ${pruned.deleted} rows deleted, in ${((performance.now() - t) / 1000).toFixed(2)} s (no VACUUM owed)`,
    );
  } finally {
    await partitioned.client.close();
    await partitioned.db.drop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
