/**
 * Baseline for forwarding: a raw BullMQ worker, at Postwire's concurrency and on the same Redis,
 * whose processor sends the job's request with undici (as Postwire's HttpSender: `request` through
 * one keep-alive Agent, the answer's first kilobyte read) to the same local receiver, with the
 * same headers (User-Agent, Idempotency-Key). No database, no claim, no attempt log: the ratio
 * against it is Postwire's own overhead. It drains COUNT jobs that the bench enqueued beforehand
 * and prints when the first and the last request were answered, and the CPU it spent from the first job on.
 */
import { Worker } from 'bullmq';
import { performance } from 'node:perf_hooks';
import { Agent, request } from 'undici';

const count = Number(process.env.COUNT);
const redis = new URL(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const agent = new Agent({ connectTimeout: 15_000 });
let seen = 0;
let first = 0;
let last = 0;
let failed = 0;
let cpuAtFirst: NodeJS.CpuUsage | undefined;

const worker = new Worker<{ deliveryId: string; url: string }>(
  process.env.QUEUE ?? 'http',
  async (job) => {
    cpuAtFirst ??= process.cpuUsage();
    const res = await request(job.data.url, {
      method: 'GET',
      headers: { 'user-agent': 'Postwire/0.1 (+postback forwarding)', 'idempotency-key': job.data.deliveryId },
      dispatcher: agent,
      signal: AbortSignal.timeout(15_000),
    });
    let size = 0;
    for await (const chunk of res.body) {
      size += (chunk as Buffer).length;
      if (size >= 1024) break;
    }
    res.body.destroy();
    if (res.statusCode !== 200) failed++;
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
  const cpu = process.cpuUsage(cpuAtFirst);
  process.stdout.write(`RESULT ${JSON.stringify({ seen, failed, spanMs: last - first, cpuMs: (cpu.user + cpu.system) / 1000 })}\n`);
  // Stays up until the bench has read its peak memory and sends SIGTERM.
  void worker.close();
  setInterval(() => undefined, 60_000);
}

process.on('SIGTERM', () => process.exit(0));
