import { rmSync } from 'node:fs';
import { createDatabase, deleteRedisPrefix, newQueuePrefix, pgQuery } from '../lib/infra';
import { ADMIN_KEY, adminApi, setUpCampaigns, startPostwire, type Postwire } from '../lib/postwire';
import type { Measurement, ScenarioResult } from '../lib/result-types';
import { check, type BenchContext, load1 } from './context';

const CAMPAIGNS = 50;
const DAYS = 30;
const REQUESTS = 40;

/**
 * The stats report on PostgreSQL over 10 million clicks in 30 days, 50 campaigns, 5 % converting,
 * generated with generate_series straight into the tables (and their rollups aggregated from them
 * the way migrations 005 and 009 do), then asked over HTTP one request at a time:
 * groupBy=day,campaign for 30 days (rollups; target p95 < 300 ms) and groupBy=sub1 for one
 * campaign over 7 days (raw tables; target p95 < 1 s). BENCH_REPORT_CLICKS changes the volume.
 */
export async function reportsScenario(ctx: BenchContext): Promise<ScenarioResult> {
  const loadAverage = load1();
  const total = Number(process.env.BENCH_REPORT_CLICKS ?? (ctx.quick ? 1_000_000 : 10_000_000));
  const db = await createDatabase();
  const prefix = newQueuePrefix();
  let pw: Postwire | undefined;
  try {
    pw = await startPostwire({ entry: 'tracker', databaseUrl: db.url, queuePrefix: prefix });
    const { campaignIds, networkId } = await setUpCampaigns(pw.url, 'http://127.0.0.1:9', CAMPAIGNS);
    for (const id of campaignIds) await adminApi(pw.url, 'PATCH', `/api/campaigns/${id}`, { costModel: 'cpc', costValue: '0.01' });
    const end = Math.floor(Date.now() / 900_000) * 900_000;
    const start = end - DAYS * 86_400_000;
    ctx.log(`reports: generating ${total.toLocaleString('en-US')} clicks`);
    const genStarted = Date.now();
    const chunk = 1_000_000;
    for (let from = 0; from < total; from += chunk) {
      const to = Math.min(total, from + chunk);
      await pgQuery(
        db.url,
        `INSERT INTO clicks (id, campaign_id, sub1, created_at, country, device_type, os, browser, visitor_key, is_unique, cost)
         SELECT lpad(g::text, 30, '0'), ($1::uuid[])[(g % ${CAMPAIGNS}) + 1], 'sub-' || (g % 997),
                to_timestamp($2::double precision / 1000 + (g::double precision * $3 / 1000)),
                (ARRAY['US','DE','FR','GB','IN','BR'])[(g % 6) + 1], (ARRAY['mobile','desktop','tablet'])[(g % 3) + 1],
                (ARRAY['iOS','Android','Windows'])[(g % 3) + 1], (ARRAY['Safari','Chrome','Firefox','Edge'])[(g % 4) + 1],
                'h:' || (g % 200000), g % 4 <> 0, 0.01
         FROM generate_series($4::bigint, $5::bigint) g`,
        [campaignIds, start, (end - start) / total, from, to - 1],
      );
    }
    ctx.log('reports: conversions and rollups');
    await pgQuery(
      db.url,
      `INSERT INTO conversions (click_id, campaign_id, network_id, goal, status, payout, revenue, currency, source, created_at, click_at, country, device_type, os, browser, sub1)
       SELECT id, campaign_id, $1, '', (ARRAY['approved','pending','declined'])[(substr(id, 25)::int % 3) + 1], 2.5, 10, 'USD', 's2s',
              created_at + interval '20 minutes', created_at, country, device_type, os, browser, sub1
       FROM clicks WHERE substr(id, 25)::int % 20 = 0`,
      [networkId],
    );
    await pgQuery(
      db.url,
      `INSERT INTO click_rollups (campaign_id, bucket, country, device_type, os, browser, clicks, unique_clicks, cost, clicks_without_cost)
       SELECT campaign_id, to_timestamp(floor(extract(epoch FROM created_at) / 900) * 900), country, device_type, os, browser,
              count(*), count(*) FILTER (WHERE is_unique), sum(cost), count(*) FILTER (WHERE cost_missing)
       FROM clicks GROUP BY 1, 2, 3, 4, 5, 6`,
    );
    await pgQuery(
      db.url,
      `INSERT INTO conversion_rollups (campaign_id, click_bucket, conversion_bucket, country, device_type, os, browser, goal, currency,
                                       approved, pending, declined, refunded, payout, approved_payout, sale_amount)
       SELECT campaign_id, to_timestamp(floor(extract(epoch FROM click_at) / 900) * 900), to_timestamp(floor(extract(epoch FROM created_at) / 900) * 900),
              country, device_type, os, browser, goal, trim(currency),
              count(*) FILTER (WHERE status = 'approved'), count(*) FILTER (WHERE status = 'pending'), count(*) FILTER (WHERE status = 'declined'), 0,
              coalesce(sum(payout) FILTER (WHERE status IN ('approved', 'pending')), 0), coalesce(sum(payout) FILTER (WHERE status = 'approved'), 0),
              coalesce(sum(revenue) FILTER (WHERE status IN ('approved', 'pending')), 0)
       FROM conversions GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9`,
    );
    // The per-campaign totals, summed from the 15-minute rollups as migration 009 backfills them.
    await pgQuery(
      db.url,
      `INSERT INTO click_totals (grain, bucket, campaign_id, clicks, unique_clicks, cost, clicks_without_cost)
       SELECT g.grain, to_timestamp(floor(extract(epoch FROM r.bucket) / g.grain) * g.grain), r.campaign_id,
              sum(r.clicks), sum(r.unique_clicks), sum(r.cost), sum(r.clicks_without_cost)
       FROM click_rollups r CROSS JOIN (VALUES (900), (3600), (86400)) AS g(grain)
       GROUP BY 1, 2, 3`,
    );
    await pgQuery(
      db.url,
      `INSERT INTO conversion_totals (basis, grain, bucket, campaign_id, conversion_day, goal, currency,
                                      approved, pending, declined, refunded, payout, approved_payout, sale_amount, cost, cost_native)
       SELECT b.basis, g.grain,
              to_timestamp(floor(extract(epoch FROM CASE b.basis WHEN 'click' THEN r.click_bucket ELSE r.conversion_bucket END) / g.grain) * g.grain),
              r.campaign_id, (r.conversion_bucket AT TIME ZONE 'UTC')::date, r.goal, r.currency,
              sum(r.approved), sum(r.pending), sum(r.declined), sum(r.refunded), sum(r.payout), sum(r.approved_payout),
              sum(r.sale_amount), sum(r.cost), sum(r.cost_native)
       FROM conversion_rollups r CROSS JOIN (VALUES ('click'), ('conversion')) AS b(basis) CROSS JOIN (VALUES (900), (3600), (86400)) AS g(grain)
       GROUP BY 1, 2, 3, 4, 5, 6, 7`,
    );
    await pgQuery(db.url, 'VACUUM ANALYZE');
    const generatedSec = Math.round((Date.now() - genStarted) / 1000);
    const [{ n: conversions }] = await pgQuery<{ n: number }>(db.url, 'SELECT count(*)::int AS n FROM conversions');
    const [{ n: rollupRows }] = await pgQuery<{ n: number }>(db.url, 'SELECT count(*)::int AS n FROM click_rollups');
    ctx.log(`reports: ${conversions} conversions, ${rollupRows} click rollup rows, generated in ${generatedSec} s`);

    const iso = (ms: number) => new Date(ms).toISOString();
    const byDay = `/api/reports/stats?from=${iso(start)}&to=${iso(end)}&groupBy=day,campaign&limit=10000`;
    const bySub = `/api/reports/stats?from=${iso(end - 7 * 86_400_000)}&to=${iso(end)}&groupBy=sub1&campaign=${campaignIds[0]}&limit=10000`;
    const dayRun = await timeRequests(pw.url, byDay);
    const subRun = await timeRequests(pw.url, bySub);
    const dayTotals = dayRun.body as { totals: { clicks: number; conversions: number }; totalRows: number };
    ctx.log(`reports: day,campaign p50 ${dayRun.p50} ms p95 ${dayRun.p95} ms; sub1 p50 ${subRun.p50} ms p95 ${subRun.p95} ms`);
    const m = (label: string, r: Timed): Measurement => ({
      label,
      rps: Math.round(1000 / Math.max(1, r.p50)),
      completed: REQUESTS,
      p50Ms: r.p50,
      p99Ms: r.p99,
      p95Ms: r.p95,
      statusCounts: { '200': r.ok },
      errors: REQUESTS - r.ok,
    });
    return {
      id: 'reports',
      title: `Stats report over ${total.toLocaleString('en-US')} clicks (PostgreSQL): groupBy=day,campaign 30 days vs groupBy=sub1 one campaign 7 days`,
      unit: 'reports/s (sequential)',
      connections: 1,
      ours: m('groupBy=day,campaign, 30 days', dayRun),
      baseline: m('groupBy=sub1, 1 campaign, 7 days', subRun),
      ratio: 0,
      extra: {
        'groupBy=day,campaign p50 / p95 / p99': `${dayRun.p50} / ${dayRun.p95} / ${dayRun.p99} ms (${dayTotals.totalRows} rows)`,
        'groupBy=sub1 p50 / p95 / p99': `${subRun.p50} / ${subRun.p95} / ${subRun.p99} ms`,
        data: `${total.toLocaleString('en-US')} clicks, ${conversions.toLocaleString('en-US')} conversions, ${rollupRows.toLocaleString('en-US')} click rollup rows, generated in ${generatedSec} s`,
      },
      checks: [
        check('every report request answered 200', dayRun.ok === REQUESTS && subRun.ok === REQUESTS, `${dayRun.ok} + ${subRun.ok} of ${2 * REQUESTS}`),
        check('the 30-day report counts every generated click', dayTotals.totals.clicks === total, `${dayTotals.totals.clicks} of ${total}`),
      ],
      loadAverage,
    };
  } finally {
    await pw?.proc.stop('SIGKILL');
    if (pw) rmSync(pw.dataDir, { recursive: true, force: true });
    await db.drop();
    await deleteRedisPrefix(prefix);
  }
}

export interface Timed {
  p50: number;
  p95: number;
  p99: number;
  ok: number;
  body: unknown;
}

/** `requests` sequential GETs of `path` after 3 unmeasured ones; latency percentiles and the last body. */
export async function timeRequests(base: string, path: string, requests = REQUESTS): Promise<Timed> {
  const times: number[] = [];
  let ok = 0;
  let body: unknown;
  for (let i = 0; i < requests + 3; i++) {
    const t = process.hrtime.bigint();
    const res = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } });
    const text = await res.text();
    const ms = Number(process.hrtime.bigint() - t) / 1e6;
    if (i < 3) continue; // warm-up: plan cache, buffers
    times.push(ms);
    if (res.status === 200) ok++;
    body = JSON.parse(text);
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => Math.round(times[Math.min(times.length - 1, Math.ceil(q * times.length) - 1)]);
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99), ok, body };
}
