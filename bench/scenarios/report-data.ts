import { pgQuery } from '../lib/infra';

/** The shape of the report history: the "mid-sized agency" (issue 22 §2). */
export const REPORT_CAMPAIGNS = 50;
export const REPORT_DAYS = 90;
/** Distinct zone ids (sub1) and site ids (sub2) the traffic is drawn from. */
export const SUB1_VALUES = 100_000;
export const SUB2_VALUES = 3_000;
/** Share of clicks that convert: a typical CPA offer's click-to-conversion rate. */
export const CONVERSION_RATE = 0.015;
const CHUNK = 1_000_000;

/**
 * How zone ids (sub1) are drawn. `zipf`: rank = ⌊N^u⌋ for a uniform u, i.e. log-uniform over
 * 1..N, the continuous form of Zipf's law with exponent 1 (P(rank) ∝ 1/rank). That is how zone
 * traffic looks in ad networks: the top zone alone gets ~6 % of the clicks, the top 100 ~40 %, and
 * yet almost every one of the 100,000 zones gets a few clicks (the long tail a media buyer prunes),
 * so the number of groups a report must produce is as large as with uniform traffic. `uniform`:
 * every zone equally likely, the worst case for a top-N cut (no head to serve first).
 */
export type Sub1Distribution = 'zipf' | 'uniform';

const rankSql = (values: number, dist: Sub1Distribution) =>
  dist === 'zipf' ? `floor(exp(random() * ln(${values}::float8)))::int` : `(1 + floor(random() * ${values}))::int`;

/**
 * Adds `count` clicks spread evenly over the last REPORT_DAYS days, numbered from `from` (so every
 * step's ids differ; each step spreads its own clicks over the whole period), set-based: one INSERT … SELECT FROM
 * generate_series per million clicks, straight into PostgreSQL, not through HTTP. Each converting
 * click (CONVERSION_RATE, drawn at random) gets its conversion in the same statement.
 *
 * Ids are 12 hex digits of the millisecond then 18 of an md5 (30 characters like the tracker's, and
 * like them ordered by time, so within a step the primary key grows at its right edge). The secondary indexes of
 * clicks are dropped for the load and built again afterwards (a sorted build is several times
 * faster than 10 million random-place inserts), the same definitions as the migrations made them.
 */
export async function addReportHistory(
  dbUrl: string,
  campaignIds: string[],
  networkId: string,
  from: number,
  count: number,
  dist: Sub1Distribution,
  onChunk: (done: number) => void,
): Promise<void> {
  const end = Math.floor(Date.now() / 900_000) * 900_000;
  const start = end - REPORT_DAYS * 86_400_000;
  const indexes = await pgQuery<{ name: string; def: string }>(
    dbUrl,
    `SELECT i.relname AS name, pg_get_indexdef(i.oid) AS def
     FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
     WHERE t.relname = 'clicks' AND NOT x.indisprimary AND NOT x.indisunique`,
  );
  for (const ix of indexes) await pgQuery(dbUrl, `DROP INDEX ${ix.name}`);
  try {
    for (let at = from; at < from + count; at += CHUNK) {
      const to = Math.min(from + count, at + CHUNK) - 1;
      await pgQuery(
        dbUrl,
        `WITH made AS (
           SELECT g, ($2::double precision + (g - $7)::double precision * $3)::bigint AS ms, ${rankSql(SUB1_VALUES, dist)} AS zone,
                  floor(exp(random() * ln(${SUB2_VALUES}::float8)))::int AS site, random() AS r
           FROM generate_series($4::bigint, $5::bigint) g
         ), clicked AS (
           INSERT INTO clicks (id, campaign_id, external_id, sub1, sub2, sub3, ip, user_agent, created_at, country, device_type, os, browser,
                               referrer_domain, visitor_key, is_unique, cost)
           SELECT lpad(to_hex(ms), 12, '0') || left(md5(g::text), 18), ($1::uuid[])[(g % ${REPORT_CAMPAIGNS}) + 1], 'ext-' || g,
                  'zone-' || zone, 'site-' || site, 'creative-' || (g % 23),
                  '198.' || (g % 256) || '.' || ((g / 256) % 256) || '.' || ((g / 65536) % 256),
                  (ARRAY['Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
                         'Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36',
                         'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.0.0',
                         'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0'])[(g % 4) + 1],
                  to_timestamp(ms / 1000.0),
                  (ARRAY['US','US','US','DE','FR','GB','IN','IN','BR','ID','MX','NP'])[(zone % 12) + 1],
                  (ARRAY['mobile','mobile','desktop','tablet'])[(g % 4) + 1],
                  (ARRAY['iOS','Android','Android','Windows','macOS'])[(g % 5) + 1], (ARRAY['Safari','Chrome','Chrome','Firefox','Edge'])[(g % 5) + 1],
                  'news-' || (site % 300) || '.example', 'v:' || (g % 4000037), r >= 0.25, 0.01
           FROM made
           RETURNING id, campaign_id, created_at, country, device_type, os, browser, sub1, sub2, sub3
         )
         INSERT INTO conversions (click_id, campaign_id, network_id, txid, status, payout, revenue, currency, source, created_at, click_at,
                                  country, device_type, os, browser, sub1, sub2, sub3)
         SELECT c.id, c.campaign_id, $6, 'tx-' || c.id, (ARRAY['approved','approved','approved','approved','approved','approved','approved','pending','pending','declined'])[1 + floor(random() * 10)::int],
                2.5, 10, 'USD', 's2s', least(c.created_at + random() * interval '6 hours', now()), c.created_at,
                c.country, c.device_type, c.os, c.browser, c.sub1, c.sub2, c.sub3
         FROM clicked c
         WHERE random() < ${CONVERSION_RATE}`,
        // Time runs from `start` over the whole step (from `from`), not over each chunk.
        [campaignIds, start, (end - start) / count, at, to, networkId, from],
      );
      onChunk(to + 1 - from);
    }
  } finally {
    // A partitioned clicks table's definitions read `ON ONLY clicks`, which would make an index of the parent alone,
    // invalid and on no partition; without ONLY it is built on every partition and attached, valid.
    for (const ix of indexes) await pgQuery(dbUrl, `SET maintenance_work_mem = '1GB'; ${ix.def.replace(' ON ONLY ', ' ON ')}`);
  }
}
