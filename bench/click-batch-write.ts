/**
 * What the click writer's batch statement costs (the clicks and every report rollup it keeps, in one
 * statement): BENCH_BATCHES batches of BENCH_BATCH clicks (defaults 300 × 500) over 4 campaigns, a
 * third of them scored with fired reasons (a bot, a datacenter address, both), into a scratch
 * PostgreSQL database. Prints clicks/s, the batch time's median and p99, and the process's peak RSS.
 * Run it on two builds (this repository at two commits) to see what a change to the batch costs.
 *
 *   npm run bench:build && node .bench-build/bench/click-batch-write.js
 */
import { performance } from 'node:perf_hooks';
import { newClickId } from '../libs/core/src';
import { PostgresClient } from '../libs/persistence/src/client/postgres-client';
import { migrate } from '../libs/persistence/src/migrations/migrator';
import { ClickRepository, type ClickEnrichment, type NewClick } from '../libs/persistence/src/repositories/click.repository';
import { seedCampaign } from '../libs/persistence/src/test-support/seed-campaign';
import { createDatabase } from './lib/infra';

const BATCHES = Number(process.env.BENCH_BATCHES ?? 300);
const BATCH = Number(process.env.BENCH_BATCH ?? 500);
const WARM_UP = 20;

/** The scorings a click gets, in turn (a build without a field ignores it). */
const SCORINGS = [
  { score: 80, reasons: ['bot_user_agent'], suspicious: true },
  { score: 40, reasons: ['datacenter_ip'], suspicious: true },
  { score: 100, reasons: ['headless_browser', 'datacenter_ip'], suspicious: true },
  { score: 0, reasons: [], suspicious: false },
  { score: 0, reasons: [], suspicious: false },
  { score: 0, reasons: [], suspicious: false },
];

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];

async function main(): Promise<void> {
  const db = await createDatabase();
  const client = new PostgresClient({ connectionString: db.url, max: 2 });
  try {
    await migrate(client);
    const campaigns: string[] = [];
    for (let i = 0; i < 4; i++) campaigns.push((await seedCampaign(client)).campaign.id);
    const clicks = new ClickRepository(client);
    const start = Date.now() - 2 * 86_400_000;
    let n = 0;
    const batch = (): NewClick[] =>
      Array.from({ length: BATCH }, () => {
        const i = n++;
        const at = start + i * 20;
        const enrichment = {
          country: ['US', 'DE', 'FR', 'BR'][i % 4],
          deviceType: i % 3 ? 'mobile' : 'desktop',
          os: 'iOS',
          browser: 'Safari',
          referrerDomain: null,
          visitorKey: `v${i % 5000}`,
          cost: '0.01',
          costMissing: false,
          fraud: SCORINGS[i % SCORINGS.length],
        } as ClickEnrichment;
        return { id: newClickId(at), campaignId: campaigns[i % 4], subs: { sub1: `z${i % 50}` }, createdAt: new Date(at), enrichment };
      });
    for (let b = 0; b < WARM_UP; b++) await clicks.insertMany(batch());
    const times: number[] = [];
    const began = performance.now();
    for (let b = 0; b < BATCHES; b++) {
      const rows = batch();
      const t = performance.now();
      await clicks.insertMany(rows);
      times.push(performance.now() - t);
    }
    const seconds = (performance.now() - began) / 1000;
    times.sort((a, b) => a - b);
    console.log(
      JSON.stringify({
        clicksPerSecond: Math.round((BATCHES * BATCH) / seconds),
        batchMsMedian: Number(quantile(times, 0.5).toFixed(1)),
        batchMsP99: Number(quantile(times, 0.99).toFixed(1)),
        peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
        batches: BATCHES,
        batchSize: BATCH,
      }),
    );
  } finally {
    await client.close();
    await db.drop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
