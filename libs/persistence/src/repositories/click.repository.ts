import { clickIdTime, isClickId, REPORT_GRAINS, SUB_PARAMS, type AdClickIds, type FraudPolicy, type Subs } from '@postwire/core';
import type { SqlExecutor } from '../client/sql-client';
import { addUpSql, FRAUD_CLICK_COLUMNS, fraudClickCounts, fraudReasonClicksUpsert } from './fraud-rollup-sql';
import { grainBucketSql, subRollupSelect, bucketSql } from './rollup-sql';

/** What the click writer's batch adds to a click (country, device, visitor, cost); see docs/reports.md. */
export interface ClickEnrichment {
  /** ISO 3166-1 alpha-2, '' when unknown. */
  country: string;
  /** desktop, mobile, tablet, … ('' when unknown). */
  deviceType: string;
  os: string;
  browser: string;
  referrerDomain: string | null;
  /** The visitor for uniqueness: `h:` + hash of IP and User-Agent, or the key of the click named by the pw_click cookie. */
  visitorKey: string;
  /** The pw_click cookie's click id: the visitor is that click's visitor when it is stored. */
  cookieClickId?: string;
  /** Decimal string, in the report currency. */
  cost: string;
  /** Cost model `auto` and the click URL had no usable cost. */
  costMissing: boolean;
  /** The fraud score (0-100) and the fired reason codes, when the click was scored (docs/fraud.md). */
  fraud?: { score: number; reasons: string[]; suspicious: boolean };
}

export interface NewClick {
  id: string;
  campaignId: string;
  /** The offer the campaign sent this click to, when the click was made (unset for clicks stored before migration 028). */
  offerId?: string;
  externalId?: string;
  subs: Subs;
  ip?: string;
  userAgent?: string;
  createdAt: Date;
  /** The campaign was paused (or archived): the click is stored but left out of the campaign's rollups (docs/lifecycle.md). */
  paused?: boolean;
  /** Ad-platform click identifiers and landing page URL from the link, only those present (forwarding targets). */
  adIds?: AdClickIds;
  /** What the redirect saw and enrichment needs; not stored as such. */
  raw?: {
    referer?: string;
    cookieClickId?: string;
    costParamValue?: string;
    costModel?: string;
    costValue?: string | null;
    /** The campaign's stored fraud policy (only what it changes from the defaults), for scoring in the batch. */
    fraudPolicy?: Partial<FraudPolicy>;
  };
  enrichment?: ClickEnrichment;
}

/**
 * How far a stored click's created_at may be from its id's time (they are the same millisecond for
 * every click the tracker makes) and still be found by a lookup by id. The lookups bound created_at by
 * the id's time (`click_id_time`, migration 012), so each reads the one partition (two near midnight)
 * that can hold the click rather than every partition: at 100 daily partitions an unbounded lookup by
 * id took 13 ms to plan, and a join of 100 ids turned into a scan of every partition (docs/storage.md).
 */
export const CLICK_TIME_SLACK = "interval '1 hour'";
const CLICK_TIME_SLACK_MS = 3_600_000;

/**
 * The click whose id is `idExpr`, as a LATERAL subquery (`JOIN LATERAL ${clickByIdSql('r.click_id')} c ON true`):
 * the LIMIT keeps PostgreSQL from flattening it into a hash join over every partition, so each key is one
 * index probe in the partition its id names (pruned at run time, per key). `range` names two statement
 * parameters bounding every key's time (clickIdRange): PostgreSQL prunes on those before it starts, so
 * the partitions outside the batch's days are neither planned nor opened.
 */
export const clickByIdSql = (idExpr: string, columns = '*', range?: readonly [string, string]): string =>
  `(SELECT ${columns} FROM clicks WHERE id = ${idExpr} AND ${clickTimeNearIdSql('created_at', idExpr)}` +
  `${range ? ` AND created_at BETWEEN ${range[0]}::timestamptz AND ${range[1]}::timestamptz` : ''} LIMIT 1)`;

const ANY_CLICK_TIME: readonly [Date, Date] = [new Date('1970-01-01T00:00:00Z'), new Date('9999-12-31T00:00:00Z')];

/** The times (earliest, latest) the clicks of these ids can have been stored at; every time when one id is not of Postwire's form. */
export function clickIdRange(ids: readonly string[]): [Date, Date] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const id of ids) {
    // An id not of Postwire's form (a click imported from another tracker, a network's placeholder) says
    // nothing of its time: the batch then spans every partition, and that key probes each one.
    if (!isClickId(id)) return [ANY_CLICK_TIME[0], ANY_CLICK_TIME[1]];
    const t = clickIdTime(id).getTime();
    lo = Math.min(lo, t);
    hi = Math.max(hi, t);
  }
  if (lo > hi) return [new Date(0), new Date(0)];
  return [new Date(lo - CLICK_TIME_SLACK_MS), new Date(hi + CLICK_TIME_SLACK_MS)];
}

/** SQL: `timeExpr` lies within CLICK_TIME_SLACK of the time in click id `idExpr`; any time for an id not of Postwire's form. */
export const clickTimeNearIdSql = (timeExpr: string, idExpr: string): string =>
  `${timeExpr} BETWEEN coalesce(click_id_time(${idExpr}) - ${CLICK_TIME_SLACK}, '-infinity') AND coalesce(click_id_time(${idExpr}) + ${CLICK_TIME_SLACK}, 'infinity')`;

export { bucketSql, grainBucketSql } from './rollup-sql';

const BASE = ['id', 'campaign_id', 'external_id', ...SUB_PARAMS, 'ip', 'user_agent', 'created_at', 'paused', 'ad_ids', 'offer_id'];
const BASE_TYPES = ['text', 'uuid', 'text', ...SUB_PARAMS.map(() => 'text'), 'text', 'text', 'timestamptz', 'boolean', 'jsonb', 'uuid'];
const ENRICHED = [
  'country',
  'device_type',
  'os',
  'browser',
  'referrer_domain',
  'visitor_key',
  'cookie_click_id',
  'cost',
  'cost_missing',
  'fraud_score',
  'fraud_reasons',
  'fraud_suspicious',
];
// fraud_reasons travels comma-joined: unnest would flatten an array of arrays.
const ENRICHED_TYPES = ['text', 'text', 'text', 'text', 'text', 'text', 'text', 'numeric', 'boolean', 'smallint', 'text', 'boolean'];
const COLUMNS = [...BASE, ...ENRICHED];
const STORED = [
  ...BASE,
  'country',
  'device_type',
  'os',
  'browser',
  'referrer_domain',
  'visitor_key',
  'cost',
  'cost_missing',
  'fraud_score',
  'fraud_reasons',
  'fraud_suspicious',
];
/** How each stored column is read from the batch. */
const STORED_FROM: Record<string, string> = { visitor_key: 'vkey', fraud_reasons: "string_to_array(nullif(fraud_reasons, ''), ',')" };

// One array parameter per column: the statement text is the same for every batch size, and a
// batch is a fixed number of parameters however many rows it has. ON CONFLICT names no columns: the
// key is (id) on a plain table and (id, created_at) on a partitioned one (docs/storage.md), and a
// retried batch repeats both.
const PLAIN_INSERT = `INSERT INTO clicks (${BASE.join(', ')})
  SELECT * FROM unnest(${BASE_TYPES.map((t, i) => `$${i + 1}::${t}[]`).join(', ')})
  ON CONFLICT DO NOTHING`;

/**
 * SQL: the time of the latest stored click of batch row `row`'s visitor (`vkey`) on its campaign in the 24
 * hours up to it, other than itself (a retried batch); NULL when there is none, i.e. the click is unique.
 * Written so that only the visitor index (clicks_visitor: campaign_id, visitor_key, created_at) serves it,
 * read backwards for one entry whatever the statistics say: the range is two row comparisons on
 * (visitor_key, created_at), which say exactly `visitor_key = vkey AND created_at BETWEEN at - 24 h AND
 * at` but leave the covering (campaign_id, created_at) index nothing to seek on, and the ORDER BY …
 * LIMIT 1 is that index's order (an EXISTS would drop it). Written as a plain NOT EXISTS, the planner took
 * the covering index once one visitor key was frequent in the statistics (a flood from one visitor, the
 * benchmark's one client), and each click then read every click of its campaign's last day (59,000 index
 * entries per click, 3.6 s for a batch of 50); as an EXISTS over the row comparisons it took a bitmap of
 * every click of the flooding visitor's day for each of its batches (bench/NOTES.md).
 */
const latestVisitorClickSql = (alias: string, row: string): string =>
  `(SELECT ${alias}.created_at FROM clicks ${alias} WHERE ${alias}.campaign_id = ${row}.campaign_id` +
  ` AND (${alias}.visitor_key, ${alias}.created_at) >= (${row}.vkey, ${row}.created_at - interval '24 hours')` +
  ` AND (${alias}.visitor_key, ${alias}.created_at) <= (${row}.vkey, ${row}.created_at) AND ${alias}.id <> ${row}.id` +
  ` ORDER BY ${alias}.visitor_key DESC, ${alias}.created_at DESC LIMIT 1)`;

/**
 * The click batch and its rollups (15-minute detail, the per-campaign totals and the sub-id days) in one statement,
 * so they commit together. A click is unique when its visitor has no other click on the campaign in the 24 hours before it: looked up among
 * stored clicks (index clicks_visitor) and among the earlier clicks of the same batch.
 */
const ENRICHED_INSERT = `
WITH batch AS (
  SELECT * FROM unnest(${[...BASE_TYPES, ...ENRICHED_TYPES].map((t, i) => `$${i + 1}::${t}[]`).join(', ')}) AS b(${COLUMNS.join(', ')})
), keyed AS (
  SELECT b.*, coalesce(CASE WHEN b.cookie_click_id IS NOT NULL THEN (SELECT p.visitor_key FROM clicks p WHERE p.id = b.cookie_click_id AND ${clickTimeNearIdSql('p.created_at', 'b.cookie_click_id')}) END, b.visitor_key) AS vkey
  FROM batch b
), judged AS (
  SELECT k.*,
         coalesce(lag(k.created_at) OVER (PARTITION BY k.campaign_id, k.vkey ORDER BY k.created_at, k.id) < k.created_at - interval '24 hours', true)
         AND ${latestVisitorClickSql('p', 'k')} IS NULL AS is_unique
  FROM keyed k
), inserted AS (
  INSERT INTO clicks (${STORED.join(', ')}, is_unique)
  SELECT ${STORED.map((c) => STORED_FROM[c] ?? c).join(', ')}, is_unique FROM judged
  ON CONFLICT DO NOTHING
  RETURNING campaign_id, created_at, country, device_type, os, browser, is_unique, cost, cost_missing, paused, fraud_suspicious, fraud_reasons, ${SUB_PARAMS.join(', ')}
), counted AS (
  -- A paused campaign's clicks are kept out of its report traffic; they are counted apart (pausedClicks).
  SELECT * FROM inserted WHERE NOT paused
), by_sub AS (
  INSERT INTO sub_click_rollups AS r (sub, day, campaign_id, value, clicks, unique_clicks, cost, clicks_without_cost, ${FRAUD_CLICK_COLUMNS.join(', ')})
  ${subRollupSelect('counted')} ORDER BY 1, 2, 3, 4
  ON CONFLICT (sub, day, campaign_id, value) DO UPDATE
  SET clicks = r.clicks + EXCLUDED.clicks, unique_clicks = r.unique_clicks + EXCLUDED.unique_clicks,
      cost = r.cost + EXCLUDED.cost, clicks_without_cost = r.clicks_without_cost + EXCLUDED.clicks_without_cost, ${addUpSql(FRAUD_CLICK_COLUMNS)}
  RETURNING 1
), by_reason AS (${fraudReasonClicksUpsert('counted', bucketSql)}
), detailed AS (
  INSERT INTO click_rollups AS r (campaign_id, bucket, country, device_type, os, browser, clicks, unique_clicks, cost, clicks_without_cost, ${FRAUD_CLICK_COLUMNS.join(', ')})
  SELECT campaign_id, ${bucketSql('created_at')}, country, device_type, os, browser,
         count(*), count(*) FILTER (WHERE is_unique), sum(cost), count(*) FILTER (WHERE cost_missing), ${fraudClickCounts('counted')}
  FROM counted GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 2, 3, 4, 5, 6
  ON CONFLICT (campaign_id, bucket, country, device_type, os, browser) DO UPDATE
  SET clicks = r.clicks + EXCLUDED.clicks, unique_clicks = r.unique_clicks + EXCLUDED.unique_clicks,
      cost = r.cost + EXCLUDED.cost, clicks_without_cost = r.clicks_without_cost + EXCLUDED.clicks_without_cost, ${addUpSql(FRAUD_CLICK_COLUMNS)}
  RETURNING 1
)
INSERT INTO click_totals AS r (grain, bucket, campaign_id, clicks, unique_clicks, cost, clicks_without_cost, ${FRAUD_CLICK_COLUMNS.join(', ')})
SELECT g.grain, ${grainBucketSql('i.created_at', 'g.grain')}, i.campaign_id,
       count(*), count(*) FILTER (WHERE i.is_unique), sum(i.cost), count(*) FILTER (WHERE i.cost_missing), ${fraudClickCounts('i')}
FROM counted i CROSS JOIN (VALUES ${REPORT_GRAINS.map((g) => `(${g})`).join(', ')}) AS g(grain)
GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
ON CONFLICT (grain, bucket, campaign_id) DO UPDATE
SET clicks = r.clicks + EXCLUDED.clicks, unique_clicks = r.unique_clicks + EXCLUDED.unique_clicks,
    cost = r.cost + EXCLUDED.cost, clicks_without_cost = r.clicks_without_cost + EXCLUDED.clicks_without_cost, ${addUpSql(FRAUD_CLICK_COLUMNS)}`;

const NO_ENRICHMENT: ClickEnrichment = {
  country: '',
  deviceType: '',
  os: '',
  browser: '',
  referrerDomain: null,
  visitorKey: '',
  cost: '0',
  costMissing: false,
};

export class ClickRepository {
  constructor(private readonly db: SqlExecutor) {}

  /**
   * Writes clicks in one statement; a batch of one is the plain case. A click whose id is already
   * stored is skipped (and not counted again), so a batch retried after an unclear failure
   * (connection lost around the commit) is not doubled. With `rollups: false` (benchmarks only)
   * the clicks are stored bare and reports do not see them.
   */
  async insertMany(clicks: readonly NewClick[], options: { rollups?: boolean } = {}): Promise<void> {
    if (clicks.length === 0) return;
    const rollups = options.rollups !== false;
    const columns: unknown[][] = (rollups ? COLUMNS : BASE).map(() => new Array(clicks.length));
    clicks.forEach((click, row) => {
      columns[0][row] = click.id;
      columns[1][row] = click.campaignId;
      columns[2][row] = click.externalId ?? null;
      SUB_PARAMS.forEach((s, k) => (columns[3 + k][row] = click.subs[s] ?? null));
      let i = 3 + SUB_PARAMS.length;
      columns[i++][row] = click.ip ?? null;
      columns[i++][row] = click.userAgent ?? null;
      // As ISO text: the driver's own Date formatting (local time zone, built digit by digit) was ~10 % of encoding a batch.
      columns[i++][row] = click.createdAt.toISOString();
      columns[i++][row] = click.paused ?? false;
      columns[i++][row] = click.adIds ? JSON.stringify(click.adIds) : null;
      columns[i++][row] = click.offerId ?? null;
      if (!rollups) return;
      const e = click.enrichment ?? { ...NO_ENRICHMENT, visitorKey: `c:${click.id}` };
      columns[i++][row] = e.country;
      columns[i++][row] = e.deviceType;
      columns[i++][row] = e.os;
      columns[i++][row] = e.browser;
      columns[i++][row] = e.referrerDomain;
      columns[i++][row] = e.visitorKey;
      columns[i++][row] = e.cookieClickId ?? null;
      columns[i++][row] = e.cost;
      columns[i++][row] = e.costMissing;
      columns[i++][row] = e.fraud?.score ?? null;
      columns[i++][row] = e.fraud ? e.fraud.reasons.join(',') : null;
      columns[i++][row] = e.fraud?.suspicious ?? null;
    });
    await this.db.query(rollups ? ENRICHED_INSERT : PLAIN_INSERT, columns);
  }

  async count(campaignId?: string): Promise<number> {
    const { rows } = await this.db.query<{ n: number }>(
      campaignId ? 'SELECT count(*)::int AS n FROM clicks WHERE campaign_id = $1' : 'SELECT count(*)::int AS n FROM clicks',
      campaignId ? [campaignId] : [],
    );
    return rows[0].n;
  }

  async get(id: string): Promise<(NewClick & { subs: Subs }) | undefined> {
    // Bounded by the id's time (see CLICK_TIME_SLACK); a click stored with another time than its id's
    // (imported, say) is still found by the second, unbounded look: this serves the console, not the click path.
    let row: Record<string, unknown> | undefined;
    if (isClickId(id)) {
      const at = clickIdTime(id).getTime();
      const near = [id, new Date(at - CLICK_TIME_SLACK_MS), new Date(at + CLICK_TIME_SLACK_MS)];
      row = (
        await this.db.query<Record<string, unknown>>(`SELECT ${BASE.join(', ')} FROM clicks WHERE id = $1 AND created_at >= $2 AND created_at <= $3`, near)
      ).rows[0];
    }
    row ??= (await this.db.query<Record<string, unknown>>(`SELECT ${BASE.join(', ')} FROM clicks WHERE id = $1`, [id])).rows[0];
    if (!row) return undefined;
    const subs: Subs = {};
    for (const s of SUB_PARAMS) if (row[s] != null) subs[s] = row[s] as string;
    return {
      id: row.id as string,
      campaignId: row.campaign_id as string,
      externalId: (row.external_id as string | null) ?? undefined,
      subs,
      ip: (row.ip as string | null) ?? undefined,
      userAgent: (row.user_agent as string | null) ?? undefined,
      createdAt: row.created_at as Date,
      adIds: (row.ad_ids as AdClickIds | null) ?? undefined,
      offerId: (row.offer_id as string | null) ?? undefined,
    };
  }

  /**
   * Forgets the ad-platform identifiers of clicks made before `before` (AD_CLICK_ID_RETENTION_DAYS), at
   * most `limit` per call; the clicks themselves stay for as long as CLICK_RETENTION_DAYS keeps them.
   */
  async clearAdIdsOlderThan(before: Date, limit = 10_000): Promise<number> {
    const { rows } = await this.db.query<{ n: number }>(
      `WITH gone AS (UPDATE clicks SET ad_ids = NULL WHERE (id, created_at) IN (
         SELECT id, created_at FROM clicks WHERE created_at < $1 AND ad_ids IS NOT NULL LIMIT $2) RETURNING 1)
       SELECT count(*)::int AS n FROM gone`,
      [before, limit],
    );
    return rows[0].n;
  }

  /** Deletes clicks created before `before`, at most `limit` per call (retention); rollups keep their figures. */
  async deleteOlderThan(before: Date, limit = 10_000): Promise<number> {
    const { rows } = await this.db.query<{ n: number }>(
      `WITH gone AS (DELETE FROM clicks WHERE id IN (SELECT id FROM clicks WHERE created_at < $1 ORDER BY created_at LIMIT $2) RETURNING 1)
       SELECT count(*)::int AS n FROM gone`,
      [before, limit],
    );
    return rows[0].n;
  }
}
