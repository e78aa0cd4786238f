#!/usr/bin/env node
/* global URL, fetch, performance, setTimeout */
// Measures end-to-end forwarding latency on this machine: from sending a postback to Postwire
// until the traffic source's (local, instant) receiver is hit. Starts the built standalone app
// (`npm run build` first) on the local Redis, and on PostgreSQL when DATABASE_URL is set,
// otherwise on the embedded PGlite.
//
//   node scripts/forwarding-latency.js [count=300] [concurrency=1]
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/some_db node scripts/forwarding-latency.js 300 8
//
// With concurrency 1 each postback waits for the previous hit, so the numbers are the pipeline's
// own latency; a higher concurrency shows it under load.
const { spawn } = require('node:child_process');
const { randomBytes } = require('node:crypto');
const { mkdtempSync, rmSync } = require('node:fs');
const { createServer } = require('node:http');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { Redis } = require('ioredis');

const count = Number(process.argv[2] ?? 300);
const concurrency = Number(process.argv[3] ?? 1);
const root = join(__dirname, '..');
const adminKey = 'pw_admin_latency_' + randomBytes(12).toString('hex');
const queuePrefix = 'pwlatency' + randomBytes(4).toString('hex');
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

async function main() {
  const hits = new Map();
  const receiver = createServer((req, res) => {
    const ext = new URL(req.url, 'http://r').searchParams.get('ext');
    hits.get(ext)?.(performance.now());
    res.writeHead(200).end('ok');
  });
  await new Promise((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const receiverUrl = `http://127.0.0.1:${receiver.address().port}`;

  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'postwire-latency-'));
  const app = spawn(process.execPath, [join(root, 'dist/apps/standalone/src/main.js')], {
    env: {
      PATH: process.env.PATH,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      ADMIN_API_KEY: adminKey,
      SECRETS_KEY: randomBytes(32).toString('hex'),
      FORWARD_ALLOW_CIDRS: '127.0.0.1/32',
      QUEUE_PREFIX: queuePrefix,
      REDIS_URL: redisUrl,
      LOG_LEVEL: 'warn',
      ...(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : {}),
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  try {
    await until(async () => (await fetch(`${base}/health`)).ok, 60_000);
    const api = async (path, body) => {
      const res = await fetch(`${base}/api${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
      return res.json();
    };
    const network = await api('/networks', { name: 'Latency', adapter: 'generic' });
    const offer = await api('/offers', { name: 'Offer', networkId: network.id, url: 'https://offer.example/?c={click_id}', payout: '1' });
    const source = await api('/traffic-sources', { name: 'Receiver', postbackUrl: `${receiverUrl}/pb?ext={external_id}&payout={payout}` });
    const campaign = await api('/campaigns', { name: 'Latency', trafficSourceId: source.id, offerId: offer.id });

    const clicks = [];
    for (let i = 0; i < count + 20; i++) {
      const res = await fetch(`${base}/c/${campaign.id}?external_id=e${i}`, { redirect: 'manual' });
      clicks.push(new URL(res.headers.get('location')).searchParams.get('c'));
    }
    const send = async (i) => {
      const ext = `e${i}`;
      const arrived = new Promise((resolve) => hits.set(ext, resolve));
      const started = performance.now();
      const res = await fetch(`${base}/postback?click_id=${clicks[i]}&amount=5`);
      const answered = performance.now();
      await res.text();
      const at = await Promise.race([
        arrived,
        new Promise((_, reject) => setTimeout(() => reject(new Error(`postback ${i} not forwarded within 10 s`)), 10_000)),
      ]);
      return { endToEnd: at - started, answer: answered - started };
    };
    // Warm-up: JIT, connection pools, BullMQ's first blocking pop.
    for (let i = count; i < count + 20; i++) await send(i);
    const results = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < count) results.push(await send(next++));
      }),
    );
    const report = (name, values) => {
      const sorted = values.slice().sort((a, b) => a - b);
      const q = (p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)].toFixed(1);
      console.log(`${name.padEnd(34)} p50 ${q(50)} ms   p90 ${q(90)} ms   p99 ${q(99)} ms   max ${q(100)} ms`);
    };
    console.log(`\n${count} postbacks, concurrency ${concurrency}, ${process.env.DATABASE_URL ? 'PostgreSQL' : 'embedded PGlite'}, Redis ${redisUrl}`);
    report(
      'postback received → receiver hit',
      results.map((r) => r.endToEnd),
    );
    report(
      'postback answered (200)',
      results.map((r) => r.answer),
    );
  } finally {
    app.kill('SIGTERM');
    await new Promise((resolve) => app.once('exit', resolve));
    receiver.close();
    rmSync(dataDir, { recursive: true, force: true });
    const redis = new Redis(redisUrl);
    const keys = await redis.keys(`${queuePrefix}:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  }
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = require('node:net').createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function until(check, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await check()) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error('Postwire did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
