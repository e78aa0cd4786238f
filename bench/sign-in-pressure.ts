/**
 * Click latency while console sign-ins run: `GET /c/:id` at a fixed rate, alone and then with 40
 * concurrent sign-ins kept in flight for the whole run (each for an unknown address from an address of
 * its own, so every one costs a full scrypt and none is throttled). The tracker runs on a scratch
 * PostgreSQL database. Prints one line per phase: click p50/p99 and how many sign-ins were answered.
 *
 *   npm run build && npm run bench:build && node .bench-build/bench/sign-in-pressure.js
 *
 * BENCH_DIST names another build to compare (e.g. one without bounded hashing).
 */
import { createDatabase, deleteRedisPrefix, newQueuePrefix } from './lib/infra';
import { runLoad } from './lib/load';
import type { LoadResult } from './lib/load-types';
import { BUILD, clickPath, setUpCampaigns, startPostwire } from './lib/postwire';

const SIGN_INS_IN_FLIGHT = 40;
const CLICK_RATE = 200;
const CONNECTIONS = 10;
const SECONDS = 15;

async function main(): Promise<void> {
  const db = await createDatabase();
  const prefix = newQueuePrefix();
  const pw = await startPostwire({ entry: 'tracker', databaseUrl: db.url, queuePrefix: prefix, env: { TRUST_PROXY: '127.0.0.1/32' } });
  try {
    const [warmCampaign, quietCampaign, busyCampaign] = (await setUpCampaigns(pw.url, 'http://127.0.0.1:9', 3)).campaignIds;
    const clicks = (campaignId: string) =>
      runLoad(
        { kind: 'static', url: pw.url, path: clickPath(campaignId), connections: CONNECTIONS, overallRate: CLICK_RATE, durationSec: SECONDS },
        SECONDS * 4,
      );
    await clicks(warmCampaign);
    report('clicks alone', await clicks(quietCampaign), 0, 0);

    let running = true;
    let answered = 0;
    let failed = 0;
    let n = 0;
    const signInLoop = async () => {
      while (running) {
        const i = n++;
        // A sign-in that fails to connect (a keep-alive socket closed under it) is counted, not fatal.
        const status = await fetch(`${pw.url}/api/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-forwarded-for': `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` },
          body: JSON.stringify({ email: `nobody${i}@example.com`, password: 'not the password' }),
        }).then(
          async (res) => (await res.arrayBuffer(), res.status),
          () => 0,
        );
        if (running && status === 401) answered++;
        if (running && status === 0) failed++;
      }
    };
    const signIns = Array.from({ length: SIGN_INS_IN_FLIGHT }, signInLoop);
    const busy = await clicks(busyCampaign);
    running = false;
    await Promise.all(signIns);
    report(`clicks + ${SIGN_INS_IN_FLIGHT} concurrent sign-ins`, busy, answered, failed);
  } finally {
    await pw.proc.stop('SIGTERM');
    await deleteRedisPrefix(prefix);
    await db.drop();
  }
}

function report(phase: string, load: LoadResult, signIns: number, failedSignIns: number): void {
  const { p50, p99, max } = load.latencyMs;
  process.stdout.write(
    `${BUILD} | ${phase}: ${load.completed} clicks at ${load.rps.toFixed(0)}/s, p50 ${p50} ms, p99 ${p99} ms, max ${max} ms; ${signIns} sign-ins checked (${(signIns / SECONDS).toFixed(1)}/s), ${failedSignIns} failed to connect\n`,
  );
}

void main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 1;
});
