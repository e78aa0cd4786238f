/**
 * Baseline for forwarding: a raw BullMQ worker with Postwire's concurrency, on the same Redis,
 * whose processor does nothing. It drains COUNT jobs that the bench enqueued beforehand and prints
 * when the first and the last were picked up.
 */
import { Worker } from 'bullmq';
import { performance } from 'node:perf_hooks';

const count = Number(process.env.COUNT);
const redis = new URL(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
let seen = 0;
let first = 0;
let last = 0;

const worker = new Worker(
  process.env.QUEUE ?? 'noop',
  async () => {
    const now = performance.now();
    if (seen === 0) first = now;
    last = now;
    if (++seen === count) setImmediate(finish);
  },
  { connection: { host: redis.hostname, port: Number(redis.port || 6379) }, prefix: process.env.PREFIX, concurrency: Number(process.env.CONCURRENCY ?? 20) },
);
process.stdout.write('ready\n');

// Bounded: a lost job must not keep the bench waiting forever.
const timer = setTimeout(finish, Number(process.env.TIMEOUT_MS ?? 120_000));

function finish(): void {
  clearTimeout(timer);
  process.stdout.write(`RESULT ${JSON.stringify({ seen, spanMs: last - first })}\n`);
  // Stays up until the bench has read its peak memory and sends SIGTERM.
  void worker.close();
  setInterval(() => undefined, 60_000);
}

process.on('SIGTERM', () => process.exit(0));
