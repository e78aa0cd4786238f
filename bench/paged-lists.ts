/**
 * What one page of the conversions list costs on a big table, with its capped total: each filter the console
 * offers, first with migration 018's indexes and then without them. A scratch PostgreSQL database gets
 * BENCH_PAGED_ROWS conversions (default 1,000,000) over 30 days, 4 campaigns, 2 networks, 4 statuses.
 * Prints the median of 5 runs of each page (the page and its count run together, as the API runs them).
 *
 *   npm run build && npm run bench:build && node .bench-build/bench/paged-lists.js
 */
import { PostgresClient } from '../libs/persistence/src/client/postgres-client';
import { migrate } from '../libs/persistence/src/migrations/migrator';
import { ReportRepository, type ConversionListFilter } from '../libs/persistence/src/repositories/report.repository';
import { performance } from 'node:perf_hooks';
import { seedCampaign } from '../libs/persistence/src/test-support/seed-campaign';
import { createDatabase } from './lib/infra';

const ROWS = Number(process.env.BENCH_PAGED_ROWS ?? 1_000_000);
const DAY = 86_400_000;
const INDEXES_018 = ['conversions_created', 'conversions_click', 'conversions_network_created', 'conversions_status_created'];

async function main(): Promise<void> {
  const db = await createDatabase();
  const client = new PostgresClient({ connectionString: db.url, max: 4 });
  try {
    await migrate(client);
    const seeds = [await seedCampaign(client), await seedCampaign(client)];
    const campaigns = [seeds[0].campaign.id, seeds[1].campaign.id];
    const end = Date.UTC(2026, 5, 1);
    const started = performance.now();
    await client.query(
      `INSERT INTO conversions (click_id, campaign_id, network_id, status, payout, currency, source, created_at)
       SELECT 'click-' || i, ($1::uuid[])[i % 2 + 1], ($2::uuid[])[i % 2 + 1], (ARRAY['approved','approved','pending','declined'])[i % 4 + 1],
              2.5, 'USD', 's2s', $3::timestamptz - (i * (30 * 86400.0 / ${ROWS})) * interval '1 second'
       FROM generate_series(1, ${ROWS}) AS g(i)`,
      [campaigns, [seeds[0].network.id, seeds[1].network.id], new Date(end)],
    );
    await client.query('ANALYZE conversions');
    console.log(`${ROWS} conversions written in ${((performance.now() - started) / 1000).toFixed(1)} s`);

    const reports = new ReportRepository(client);
    const shapes: Array<[string, ConversionListFilter, number]> = [
      ['newest 50', {}, 0],
      ['offset 10,000', {}, 10_000],
      ['status declined', { status: 'declined' }, 0],
      ['one campaign', { campaignId: campaigns[0] }, 0],
      ['network + last 7 days', { networkId: seeds[1].network.id, from: new Date(end - 7 * DAY), to: new Date(end) }, 0],
      ['one click id', { clickId: `click-${Math.floor(ROWS / 2)}` }, 0],
      ['one day, approved', { status: 'approved', from: new Date(end - 10 * DAY), to: new Date(end - 9 * DAY) }, 0],
    ];
    const measure = async (label: string) => {
      console.log(`\n${label}`);
      for (const [name, filter, offset] of shapes) {
        const times: number[] = [];
        let total = 0;
        let lower = false;
        for (let run = 0; run < 5; run++) {
          const t = performance.now();
          const page = await reports.pageConversions(filter, { limit: 50, offset });
          times.push(performance.now() - t);
          total = page.total;
          lower = page.totalIsLowerBound;
        }
        times.sort((a, b) => a - b);
        console.log(`  ${name.padEnd(24)} ${times[2].toFixed(1).padStart(8)} ms   total ${total}${lower ? '+' : ''}`);
      }
    };
    await measure('with the 018 indexes');
    for (const index of INDEXES_018) await client.query(`DROP INDEX ${index}`);
    await client.query('ANALYZE conversions');
    await measure('without them');
  } finally {
    await client.close();
    await db.drop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
