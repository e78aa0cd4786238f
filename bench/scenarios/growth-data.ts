import { pgQuery } from '../lib/infra';

/** The campaigns the stored history belongs to, named so a later run on the same database finds them again. */
export const DATA_CAMPAIGN_PREFIX = 'Growth data ';
export const DATA_CAMPAIGNS = 50;
export const DATA_DAYS = 60;
const CHUNK = 1_000_000;

/** Marks freshly made campaigns as the history's, costed per click as the reports scenario's are. */
export async function markDataCampaigns(dbUrl: string, campaignIds: string[]): Promise<void> {
  await pgQuery(
    dbUrl,
    `UPDATE campaigns c SET name = $2 || lpad(x.n::text, 2, '0'), cost_model = 'cpc', cost_value = 0.01
     FROM unnest($1::uuid[]) WITH ORDINALITY AS x(id, n) WHERE c.id = x.id`,
    [campaignIds, DATA_CAMPAIGN_PREFIX],
  );
}

export async function dataCampaigns(dbUrl: string): Promise<string[]> {
  const rows = await pgQuery<{ id: string }>(dbUrl, `SELECT id FROM campaigns WHERE name LIKE $1 || '%' ORDER BY name`, [DATA_CAMPAIGN_PREFIX]);
  return rows.map((r) => r.id);
}

/**
 * Adds `count` clicks spread evenly over the last DATA_DAYS days (numbered from `from`, so every
 * step's ids differ), set-based with generate_series, 1 million per statement. They look like the
 * tracker's: a 30-character id whose first 10 characters are the time in Crockford base32 (so the
 * primary key grows the way real ids make it grow), subs, IP, User-Agent, enrichment columns and a
 * cost. About 1.6 % of them convert, each conversion with what a real accepted postback leaves
 * behind: its postback log line, a delivered delivery and one attempt.
 */
export async function addHistory(dbUrl: string, campaignIds: string[], from: number, count: number, onChunk: (done: number) => void): Promise<void> {
  const end = Date.now();
  const start = end - DATA_DAYS * 86_400_000;
  const spacing = (end - start) / count;
  for (let at = from; at < from + count; at += CHUNK) {
    const to = Math.min(from + count, at + CHUNK) - 1;
    // The id's time part is base32 of the millisecond, most significant 5 bits first, as newClickId writes it.
    await pgQuery(
      dbUrl,
      `WITH made AS (
         SELECT g, ($2::double precision + (g - $6)::double precision * $3)::bigint AS ms FROM generate_series($4::bigint, $5::bigint) g
       ), clicked AS (
         INSERT INTO clicks (id, campaign_id, external_id, sub1, sub2, sub3, ip, user_agent, created_at, country, device_type, os, browser,
                             referrer_domain, visitor_key, is_unique, cost)
         SELECT (SELECT string_agg(substr('0123456789abcdefghjkmnpqrstvwxyz', ((ms >> (5 * (9 - i))) & 31)::int + 1, 1), '' ORDER BY i) FROM generate_series(0, 9) i)
                  || left(md5(g::text), 20),
                ($1::uuid[])[(g % ${DATA_CAMPAIGNS}) + 1], 'ext-' || g, 'sub-' || (g % 997), 'site-' || (g % 4999), 'creative-' || (g % 23),
                '198.' || (g % 256) || '.' || ((g / 256) % 256) || '.' || ((g / 65536) % 256),
                (ARRAY['Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
                       'Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36',
                       'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.0.0',
                       'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0'])[(g % 4) + 1],
                to_timestamp(ms / 1000.0),
                (ARRAY['US','DE','FR','GB','IN','BR'])[(g % 6) + 1], (ARRAY['mobile','desktop','tablet'])[(g % 3) + 1],
                (ARRAY['iOS','Android','Windows'])[(g % 3) + 1], (ARRAY['Safari','Chrome','Firefox','Edge'])[(g % 4) + 1],
                'news-' || (g % 300) || '.example', 'h:' || md5('visitor-' || (g % 2000003)), g % 4 <> 0, 0.01
         FROM made
         RETURNING id, campaign_id, created_at, country, device_type, os, browser, sub1, sub2, sub3
       ), converted AS (
         INSERT INTO conversions (click_id, campaign_id, network_id, txid, status, payout, revenue, currency, source, created_at, click_at,
                                  country, device_type, os, browser, sub1, sub2, sub3)
         SELECT c.id, c.campaign_id, o.network_id, 'tx-' || c.id, (ARRAY['approved','approved','pending','declined'])[(get_byte(decode(right(c.id, 2), 'hex'), 0) % 4) + 1],
                2.5, 10, 'USD', 's2s', least(c.created_at + interval '20 minutes', now()), c.created_at,
                c.country, c.device_type, c.os, c.browser, c.sub1, c.sub2, c.sub3
         FROM clicked c JOIN campaigns k ON k.id = c.campaign_id JOIN offers o ON o.id = k.offer_id
         WHERE get_byte(decode(right(c.id, 2), 'hex'), 0) < 4
         RETURNING id, click_id, campaign_id, network_id, txid, created_at
       ), logged AS (
         INSERT INTO postbacks (received_at, channel, network_id, click_id, params, canonical, ip, outcome, conversion_id)
         SELECT created_at, 's2s', network_id, click_id,
                jsonb_build_object('click_id', click_id, 'txid', txid, 'amount', '2.50'),
                jsonb_build_object('clickId', click_id, 'txid', txid, 'payout', '2.50', 'status', 'approved', 'currency', 'USD'),
                '203.0.113.7', 'accepted', id
         FROM converted
       ), delivered AS (
         INSERT INTO deliveries (conversion_id, traffic_source_id, revision, event, method, url, status, attempts, round_attempts, created_at, delivered_at, last_status_code)
         SELECT v.id, k.traffic_source_id, 1, 'created', 'GET', 'https://source.example/pb?ext=ext-1234567&txid=' || v.txid || '&payout=2.50',
                'delivered', 1, 1, v.created_at, v.created_at + interval '40 milliseconds', 200
         FROM converted v JOIN campaigns k ON k.id = v.campaign_id
         RETURNING id, url, created_at
       )
       INSERT INTO delivery_attempts (delivery_id, attempted_at, url, status_code, latency_ms, response_snippet)
       SELECT id, created_at, url, 200, 40, 'ok' FROM delivered`,
      // Time runs from `start` over the whole step (from `from`), not over each chunk.
      [campaignIds, start, spacing, at, to, from],
    );
    onChunk(to + 1 - from);
  }
}

/**
 * Rebuilds every report rollup from the stored clicks and conversions, as migrations 005 and 009
 * aggregate them (and the reports scenario does), so the rollups agree with the rows whatever was
 * added since: history, and the clicks and postbacks earlier steps measured.
 */
export async function rebuildRollups(dbUrl: string): Promise<void> {
  await pgQuery(dbUrl, 'TRUNCATE click_rollups, conversion_rollups, click_totals, conversion_totals');
  await pgQuery(
    dbUrl,
    `INSERT INTO click_rollups (campaign_id, bucket, country, device_type, os, browser, clicks, unique_clicks, cost, clicks_without_cost)
     SELECT campaign_id, to_timestamp(floor(extract(epoch FROM created_at) / 900) * 900), country, device_type, os, browser,
            count(*), count(*) FILTER (WHERE is_unique), sum(cost), count(*) FILTER (WHERE cost_missing)
     FROM clicks GROUP BY 1, 2, 3, 4, 5, 6`,
  );
  await pgQuery(
    dbUrl,
    `INSERT INTO conversion_rollups (campaign_id, click_bucket, conversion_bucket, country, device_type, os, browser, goal, currency,
                                     approved, pending, declined, refunded, payout, approved_payout, sale_amount)
     SELECT campaign_id, to_timestamp(floor(extract(epoch FROM coalesce(click_at, created_at)) / 900) * 900), to_timestamp(floor(extract(epoch FROM created_at) / 900) * 900),
            country, device_type, os, browser, goal, trim(currency),
            count(*) FILTER (WHERE status = 'approved'), count(*) FILTER (WHERE status = 'pending'), count(*) FILTER (WHERE status = 'declined'),
            count(*) FILTER (WHERE status = 'refunded'),
            coalesce(sum(payout) FILTER (WHERE status IN ('approved', 'pending')), 0), coalesce(sum(payout) FILTER (WHERE status = 'approved'), 0),
            coalesce(sum(revenue) FILTER (WHERE status IN ('approved', 'pending')), 0)
     FROM conversions GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9`,
  );
  await pgQuery(
    dbUrl,
    `INSERT INTO click_totals (grain, bucket, campaign_id, clicks, unique_clicks, cost, clicks_without_cost)
     SELECT g.grain, to_timestamp(floor(extract(epoch FROM r.bucket) / g.grain) * g.grain), r.campaign_id,
            sum(r.clicks), sum(r.unique_clicks), sum(r.cost), sum(r.clicks_without_cost)
     FROM click_rollups r CROSS JOIN (VALUES (900), (3600), (86400)) AS g(grain)
     GROUP BY 1, 2, 3`,
  );
  await pgQuery(
    dbUrl,
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
}

/**
 * Campaigns whose totals disagree with their rows (clicks; conversions), both ways. `except`: campaigns
 * whose clicks were written straight into the table, past the tracker and its rollups.
 */
export async function rollupMismatches(dbUrl: string, except: string[]): Promise<{ clicks: number; conversions: number }> {
  const [row] = await pgQuery<{ clicks: number; conversions: number }>(
    dbUrl,
    `SELECT
       (SELECT count(*)::int FROM (SELECT campaign_id, count(*) AS n FROM clicks WHERE campaign_id <> ALL ($1::uuid[]) GROUP BY 1) c
          FULL JOIN (SELECT campaign_id, sum(clicks) AS n FROM click_totals WHERE grain = 86400 AND campaign_id <> ALL ($1::uuid[]) GROUP BY 1) t USING (campaign_id)
          WHERE c.n IS DISTINCT FROM t.n) AS clicks,
       (SELECT count(*)::int FROM (SELECT campaign_id, count(*) AS n FROM conversions GROUP BY 1) c
          FULL JOIN (SELECT campaign_id, sum(approved + pending + declined + refunded) AS n FROM conversion_totals WHERE grain = 86400 AND basis = 'conversion' GROUP BY 1) t
          USING (campaign_id)
          WHERE c.n IS DISTINCT FROM t.n) AS conversions`,
    [except],
  );
  return row;
}
