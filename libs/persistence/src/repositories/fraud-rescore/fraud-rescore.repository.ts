import {
  layerFraudPolicies,
  REPORT_GRAINS,
  SUB_PARAMS,
  type FraudPolicy,
  type FraudSignal,
  type FraudVerdict,
  type SignalReading,
  type SubParam,
} from '@postwire/core';
import type { SqlClient, SqlExecutor } from '../../client/sql-client';
import { addUpSql, FRAUD_CLICK_COLUMNS, fraudClickShifts } from '../fraud-rollup-sql';
import { isUuid } from '../ids';
import { bucketSql, grainBucketSql, subValueSql } from '../rollup-sql';
import { SubValueRollups } from '../sub-value-rollups';
import { SubPairRollups } from '../sub-pair-rollups';

/** Which traffic a re-score run covers: a range of event times, one campaign, one offer's campaigns, or all. */
export interface RescoreScope {
  from: Date;
  to: Date;
  campaignId?: string;
  offerId?: string;
}

/** A re-score run as stored (`fraud_rescore_runs`). */
export interface RescoreRunRow {
  id: string;
  requestedBy: string;
  dryRun: boolean;
  sendStatusUpdates: boolean;
  from: Date;
  to: Date;
  campaignId: string | null;
  offerId: string | null;
  state: 'running' | 'done' | 'failed';
  progress: unknown;
  error: string | null;
  startedAt: Date;
  finishedAt: Date | null;
}

/** A click of the range, with what scoring needs and what it has. */
export interface RescoreClick {
  id: string;
  campaignId: string;
  createdAt: Date;
  ip: string | null;
  userAgent: string | null;
  subs: Partial<Record<SubParam, string | null>>;
  score: number | null;
  reasons: string[];
  /** As stored: null for a click never scored. */
  suspicious: boolean | null;
  cursor: RescoreCursor;
}

/** A scored conversion of the range, with its click, its stored assessment, and whether a source was told about it. */
export interface RescoreConversion {
  id: string;
  campaignId: string;
  createdAt: Date;
  goal: string;
  payout: string | null;
  currency: string;
  /** The payout in the report currency (the latest rate on or before its UTC day), null without a usable rate. */
  reportPayout: string | null;
  click: { id: string; at: Date; ip: string | null; userAgent: string | null; subs: Partial<Record<SubParam, string | null>> };
  score: number;
  verdict: FraudVerdict;
  signals: FraudSignal[];
  holdState: 'held' | 'released' | 'rejected' | null;
  forwarded: boolean;
  cursor: RescoreCursor;
}

/** Where a keyset read stopped: the last row's time as the database's exact text (microseconds: a JavaScript Date would cut them and read the row again), and its id. */
export interface RescoreCursor {
  at: string;
  id: string;
}

/** A click's new scoring, as an applied run stores it. */
export interface RescoredClickWrite {
  id: string;
  createdAt: Date;
  score: number;
  reasons: readonly string[];
  /** Its verdict under its policy is not `allow`: what the click path stores as `fraud_suspicious`. */
  suspicious: boolean;
}

/** A conversion's new assessment, as an applied run stores it. */
export interface RescoredConversionWrite {
  conversionId: string;
  score: number;
  verdict: FraudVerdict;
  signals: FraudSignal[];
  /** What did not run in this scoring (a scorer plugin that timed out); replaces the stored notes. */
  notes?: string[];
  /** Newly held: until when, and what expiry makes of it. */
  hold?: { until: Date; expiry: 'release' | 'reject' };
  /** Newly rejected by the run (stored declined by the caller). */
  rejected?: boolean;
}

const DAY_MS = 86_400_000;

/**
 * Held (per transaction) while a batch's clicks are written: the move subtracts the figures its statement
 * reads, so two runs over the same clicks take turns, each reading what the other committed.
 */
const CLICK_WRITE_LOCK_KEY = 0x72736b63; // "rskc"

/** `sum(sign * …) AS suspicious_clicks, …` over the moved clicks `m`, and whether any of them is not zero. */
const shifts = fraudClickShifts('m', 'm.sign');
const SHIFTED = shifts.map((e, i) => `${e} AS ${FRAUD_CLICK_COLUMNS[i]}`).join(', ');
const ANY_SHIFT = shifts.map((e) => `${e} <> 0`).join(' OR ');
const ZERO_SUMS = ['clicks', 'unique_clicks', 'cost', 'clicks_without_cost'];

/**
 * One re-scored batch: the clicks' new figures written, and the difference (new minus old, per target
 * row) added to each click rollup, keyed as the click batch writes them (click.repository.ts) and in the
 * same order of tables and of keys, so a click batch and a re-score batch take their locks in one order.
 * Only rows whose figures move are touched. Returns the per-reason rows left with no clicks (`reason`
 * set) and, as one row with `counted`, whether any changed click is in the rollups.
 */
const MOVE_CLICK_FRAUD = `
WITH u AS (
  SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::smallint[], $4::text[], $5::boolean[]) AS u(id, created_at, score, reasons, suspicious)
), old AS (
  SELECT k.* FROM clicks k JOIN u ON k.id = u.id AND k.created_at = u.created_at
), changed AS (
  UPDATE clicks k SET fraud_score = u.score, fraud_reasons = string_to_array(nullif(u.reasons, ''), ','), fraud_suspicious = u.suspicious
  FROM u WHERE k.id = u.id AND k.created_at = u.created_at
  RETURNING k.*
), moved AS (
  -- A paused campaign's clicks are kept out of the click rollups, as the click batch keeps them.
  SELECT -1 AS sign, o.* FROM old o WHERE NOT o.paused
  UNION ALL
  SELECT 1 AS sign, c.* FROM changed c WHERE NOT c.paused
), by_sub AS (
  INSERT INTO sub_click_rollups AS r (sub, day, campaign_id, value, ${ZERO_SUMS.join(', ')}, ${FRAUD_CLICK_COLUMNS.join(', ')})
  SELECT s.sub, ${grainBucketSql('m.created_at', '86400')}, m.campaign_id, ${subValueSql('m', 's.sub')}, ${ZERO_SUMS.map(() => '0').join(', ')}, ${SHIFTED}
  FROM moved m CROSS JOIN generate_series(1, 10) AS s(sub)
  GROUP BY 1, 2, 3, 4 HAVING ${ANY_SHIFT} ORDER BY 1, 2, 3, 4
  ON CONFLICT (sub, day, campaign_id, value) DO UPDATE SET ${addUpSql(FRAUD_CLICK_COLUMNS)}
  RETURNING 1
), by_reason AS (
  INSERT INTO fraud_reason_click_rollups AS r (campaign_id, bucket, reason, clicks, ${FRAUD_CLICK_COLUMNS.join(', ')})
  SELECT m.campaign_id, ${bucketSql('m.created_at')}, x.reason, sum(m.sign), ${SHIFTED}
  FROM moved m CROSS JOIN LATERAL unnest(m.fraud_reasons) AS x(reason)
  GROUP BY 1, 2, 3 HAVING sum(m.sign) <> 0 OR ${ANY_SHIFT} ORDER BY 1, 2, 3
  ON CONFLICT (campaign_id, bucket, reason) DO UPDATE SET clicks = r.clicks + EXCLUDED.clicks, ${addUpSql(FRAUD_CLICK_COLUMNS)}
  RETURNING r.campaign_id, r.bucket, r.reason, r.clicks
), detailed AS (
  INSERT INTO click_rollups AS r (campaign_id, bucket, country, device_type, os, browser, ${ZERO_SUMS.join(', ')}, ${FRAUD_CLICK_COLUMNS.join(', ')})
  SELECT m.campaign_id, ${bucketSql('m.created_at')}, m.country, m.device_type, m.os, m.browser, ${ZERO_SUMS.map(() => '0').join(', ')}, ${SHIFTED}
  FROM moved m GROUP BY 1, 2, 3, 4, 5, 6 HAVING ${ANY_SHIFT} ORDER BY 1, 2, 3, 4, 5, 6
  ON CONFLICT (campaign_id, bucket, country, device_type, os, browser) DO UPDATE SET ${addUpSql(FRAUD_CLICK_COLUMNS)}
  RETURNING 1
), totals AS (
  INSERT INTO click_totals AS r (grain, bucket, campaign_id, ${ZERO_SUMS.join(', ')}, ${FRAUD_CLICK_COLUMNS.join(', ')})
  SELECT g.grain, ${grainBucketSql('m.created_at', 'g.grain')}, m.campaign_id, ${ZERO_SUMS.map(() => '0').join(', ')}, ${SHIFTED}
  FROM moved m CROSS JOIN (VALUES ${REPORT_GRAINS.map((g) => `(${g})`).join(', ')}) AS g(grain)
  GROUP BY 1, 2, 3 HAVING ${ANY_SHIFT} ORDER BY 1, 2, 3
  ON CONFLICT (grain, bucket, campaign_id) DO UPDATE SET ${addUpSql(FRAUD_CLICK_COLUMNS)}
  RETURNING 1
)
SELECT campaign_id, bucket, reason, false AS counted FROM by_reason WHERE clicks = 0
UNION ALL
SELECT NULL, NULL, NULL, true WHERE EXISTS (SELECT 1 FROM moved)`;

const SUBS = SUB_PARAMS.map((s) => `k.${s}`).join(', ');

function subsOf(r: Record<string, unknown>): Partial<Record<SubParam, string | null>> {
  const subs: Partial<Record<SubParam, string | null>> = {};
  for (const s of SUB_PARAMS) if (r[s] != null) subs[s] = r[s] as string;
  return subs;
}

/**
 * Re-score runs and the keyset reads and writes they are made of (docs/fraud.md#re-scoring). Every read
 * is one bounded batch in event-time order; every write is one batch's transaction.
 */
export class FraudRescoreRepository {
  constructor(private readonly db: SqlClient) {}

  /** The campaigns in scope with each one's effective stored policy (its offer's with its own laid over); empty for an unknown campaign or offer. */
  async policies(scope: Pick<RescoreScope, 'campaignId' | 'offerId'>): Promise<Map<string, Partial<FraudPolicy>>> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (scope.campaignId !== undefined) {
      if (!isUuid(scope.campaignId)) return new Map();
      params.push(scope.campaignId);
      where.push(`cp.id = $${params.length}`);
    }
    if (scope.offerId !== undefined) {
      if (!isUuid(scope.offerId)) return new Map();
      params.push(scope.offerId);
      where.push(`cp.offer_id = $${params.length}`);
    }
    const { rows } = await this.db.query<{ id: string; offer: Partial<FraudPolicy> | null; campaign: Partial<FraudPolicy> | null }>(
      `SELECT cp.id, ofp.policy AS offer, cfp.policy AS campaign
       FROM campaigns cp
       LEFT JOIN campaign_fraud_policies cfp ON cfp.campaign_id = cp.id
       LEFT JOIN offer_fraud_policies ofp ON ofp.offer_id = cp.offer_id
       ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY cp.id`,
      params,
    );
    return new Map(rows.map((r) => [r.id, layerFraudPolicies(r.offer, r.campaign)]));
  }

  /** One batch of the range's clicks of these campaigns, after `cursor`, in (created_at, id) order. */
  async clicks(campaignIds: readonly string[], scope: RescoreScope, cursor: RescoreCursor | null, limit: number): Promise<RescoreClick[]> {
    const { rows } = await this.db.query<Record<string, unknown>>(
      `SELECT k.id, k.campaign_id, k.created_at, k.created_at::text AS cursor_at, k.ip, k.user_agent, ${SUBS}, k.fraud_score, k.fraud_reasons, k.fraud_suspicious
       FROM clicks k
       WHERE k.campaign_id = ANY($1::uuid[]) AND k.created_at >= $2 AND k.created_at < $3
         -- The plain bound lets the (campaign_id, created_at) index start at the cursor; the row comparison breaks ties.
         AND k.created_at >= coalesce($4::timestamptz, $2) AND ($4::timestamptz IS NULL OR (k.created_at, k.id) > ($4::timestamptz, $5::text))
       ORDER BY k.created_at, k.id LIMIT $6`,
      [campaignIds, scope.from, scope.to, cursor?.at ?? null, cursor?.id ?? '', limit],
    );
    return rows.map((r) => ({
      id: r.id as string,
      campaignId: r.campaign_id as string,
      createdAt: r.created_at as Date,
      ip: r.ip as string | null,
      userAgent: r.user_agent as string | null,
      subs: subsOf(r),
      score: r.fraud_score === null ? null : Number(r.fraud_score),
      reasons: (r.fraud_reasons as string[] | null) ?? [],
      suspicious: r.fraud_suspicious as boolean | null,
      cursor: { at: r.cursor_at as string, id: r.id as string },
    }));
  }

  /** One batch of the range's scored (non-test) conversions of these campaigns, after `cursor`, in (created_at, id) order. */
  async conversions(
    campaignIds: readonly string[],
    scope: RescoreScope,
    cursor: RescoreCursor | null,
    limit: number,
    reportCurrency: string,
  ): Promise<RescoreConversion[]> {
    const { rows } = await this.db.query<Record<string, unknown>>(
      `SELECT c.id, c.campaign_id, c.created_at, c.created_at::text AS cursor_at, c.goal, c.payout::text AS payout, trim(c.currency) AS currency,
              round(c.payout * fx.rate, 6)::text AS report_payout,
              k.id AS click_id, k.created_at AS click_at, k.ip, k.user_agent, ${SUBS},
              f.score, f.verdict, f.signals, f.hold_state,
              EXISTS (SELECT 1 FROM deliveries d WHERE d.conversion_id = c.id AND NOT d.is_test) AS forwarded
       FROM conversions c
       JOIN conversion_fraud f ON f.conversion_id = c.id
       JOIN clicks k ON k.id = c.click_id
       LEFT JOIN LATERAL (SELECT CASE WHEN trim(c.currency) = $7 THEN 1::numeric ELSE
            (SELECT x.rate FROM currency_rates x WHERE x.currency = trim(c.currency) AND x.day <= (c.created_at AT TIME ZONE 'UTC')::date
             ORDER BY x.day DESC LIMIT 1) END AS rate) fx ON true
       WHERE c.campaign_id = ANY($1::uuid[]) AND c.created_at >= $2 AND c.created_at < $3 AND NOT c.is_test
         AND c.created_at >= coalesce($4::timestamptz, $2) AND ($4::timestamptz IS NULL OR (c.created_at, c.id) > ($4::timestamptz, $5::uuid))
       ORDER BY c.created_at, c.id LIMIT $6`,
      [campaignIds, scope.from, scope.to, cursor?.at ?? null, cursor?.id ?? '00000000-0000-0000-0000-000000000000', limit, reportCurrency],
    );
    return rows.map((r) => ({
      id: r.id as string,
      campaignId: r.campaign_id as string,
      createdAt: r.created_at as Date,
      goal: r.goal as string,
      payout: r.payout as string | null,
      currency: r.currency as string,
      reportPayout: r.report_payout as string | null,
      click: { id: r.click_id as string, at: r.click_at as Date, ip: r.ip as string | null, userAgent: r.user_agent as string | null, subs: subsOf(r) },
      score: Number(r.score),
      verdict: r.verdict as FraudVerdict,
      signals: r.signals as FraudSignal[],
      holdState: r.hold_state as RescoreConversion['holdState'],
      forwarded: r.forwarded as boolean,
      cursor: { at: r.cursor_at as string, id: r.id as string },
    }));
  }

  /**
   * Stores clicks' new scores, fired reasons and suspicious flags, and moves the click side's report
   * figures with them in the same statement (docs/fraud.md#re-scoring): each changed click's old figures
   * come out of every click rollup and its new ones go in, then the sub-id value buckets of its days are
   * made stale. Paused clicks are in no click rollup, so they move none.
   */
  async writeClicks(tx: SqlExecutor, clicks: readonly RescoredClickWrite[]): Promise<void> {
    if (clicks.length === 0) return;
    await tx.query('SELECT pg_advisory_xact_lock($1)', [CLICK_WRITE_LOCK_KEY]);
    // Reasons travel comma-joined: unnest would flatten an array of arrays. created_at finds the partition.
    const { rows } = await tx.query<{ campaign_id: string; bucket: Date; reason: string; counted: boolean }>(MOVE_CLICK_FRAUD, [
      clicks.map((c) => c.id),
      clicks.map((c) => c.createdAt),
      clicks.map((c) => c.score),
      clicks.map((c) => c.reasons.join(',')),
      clicks.map((c) => c.suspicious),
    ]);
    // A reason no click of its bucket has any more leaves no empty row behind (the rebuild writes none).
    const emptied = rows.filter((r) => r.reason !== null);
    if (emptied.length)
      await tx.query(
        `DELETE FROM fraud_reason_click_rollups r USING unnest($1::uuid[], $2::timestamptz[], $3::text[]) AS e(campaign_id, bucket, reason)
         WHERE r.campaign_id = e.campaign_id AND r.bucket = e.bucket AND r.reason = e.reason AND r.clicks = 0`,
        [emptied.map((r) => r.campaign_id), emptied.map((r) => r.bucket), emptied.map((r) => r.reason)],
      );
    if (!rows.some((r) => r.counted)) return;
    const times = clicks.map((c) => c.createdAt.getTime());
    const from = Math.floor(Math.min(...times) / DAY_MS) * DAY_MS;
    const to = Math.floor(Math.max(...times) / DAY_MS) * DAY_MS + DAY_MS;
    await SubValueRollups.stale(tx, new Date(from), new Date(to));
    await SubPairRollups.stale(tx, new Date(from), new Date(to));
  }

  /**
   * Stores conversions' new assessments, and the holds and rejections the run makes. Only rows still in the
   * state the run read are changed (`hold_state` not decided since): a review between the read and the write wins.
   * Returns the ids written.
   */
  async writeConversions(tx: SqlExecutor, runId: string, writes: readonly RescoredConversionWrite[]): Promise<string[]> {
    if (writes.length === 0) return [];
    const col = <T>(f: (w: RescoredConversionWrite) => T) => writes.map(f);
    const { rows } = await tx.query<{ conversion_id: string }>(
      `UPDATE conversion_fraud f SET score = u.score, verdict = u.verdict, signals = u.signals::jsonb, notes = u.notes::jsonb,
              hold_state = CASE WHEN u.rejected THEN 'rejected' WHEN u.held_until IS NOT NULL THEN 'held' ELSE f.hold_state END,
              held_until = coalesce(u.held_until, f.held_until), hold_expiry = coalesce(u.hold_expiry, f.hold_expiry),
              decided_by = CASE WHEN u.rejected THEN 're-score ' || $1 ELSE f.decided_by END,
              decided_at = CASE WHEN u.rejected THEN now() ELSE f.decided_at END,
              rescored_by = $1::uuid, rescored_at = now()
       FROM unnest($2::uuid[], $3::smallint[], $4::text[], $5::text[], $6::timestamptz[], $7::text[], $8::boolean[], $9::text[])
            AS u(id, score, verdict, signals, held_until, hold_expiry, rejected, notes)
       WHERE f.conversion_id = u.id AND (f.hold_state IS NULL OR f.hold_state = 'held')
       RETURNING f.conversion_id`,
      [
        runId,
        col((w) => w.conversionId),
        col((w) => w.score),
        col((w) => w.verdict),
        col((w) => JSON.stringify(w.signals)),
        col((w) => w.hold?.until ?? null),
        col((w) => w.hold?.expiry ?? null),
        col((w) => w.rejected === true),
        col((w) => (w.notes?.length ? JSON.stringify(w.notes) : null)),
      ],
    );
    return rows.map((r) => r.conversion_id);
  }

  async createRun(
    run: {
      id: string;
      requestedBy: string;
      dryRun: boolean;
      sendStatusUpdates: boolean;
      scope: RescoreScope;
      policySnapshot: unknown;
      progress: unknown;
    },
    tx: SqlExecutor = this.db,
  ): Promise<void> {
    await tx.query(
      `INSERT INTO fraud_rescore_runs (id, requested_by, dry_run, send_status_updates, range_from, range_to, campaign_id, offer_id, policy_snapshot, state, progress)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, 'running', $10::jsonb)`,
      [
        run.id,
        run.requestedBy,
        run.dryRun,
        run.sendStatusUpdates,
        run.scope.from,
        run.scope.to,
        run.scope.campaignId ?? null,
        run.scope.offerId ?? null,
        JSON.stringify(run.policySnapshot),
        JSON.stringify(run.progress),
      ],
    );
  }

  async saveProgress(id: string, progress: unknown, tx: SqlExecutor = this.db): Promise<void> {
    await tx.query(`UPDATE fraud_rescore_runs SET progress = $2::jsonb WHERE id = $1`, [id, JSON.stringify(progress)]);
  }

  async finishRun(id: string, outcome: { state: 'done' | 'failed'; progress: unknown; error?: string }): Promise<void> {
    await this.db.query(`UPDATE fraud_rescore_runs SET state = $2, progress = $3::jsonb, error = $4, finished_at = now() WHERE id = $1`, [
      id,
      outcome.state,
      JSON.stringify(outcome.progress),
      outcome.error ?? null,
    ]);
  }

  /** Runs a tracker left running when it stopped: marked failed at boot, so none shows as running forever. */
  async failAbandoned(): Promise<number> {
    const { rows } = await this.db.query(
      `UPDATE fraud_rescore_runs SET state = 'failed', error = 'the tracker stopped during the run', finished_at = now() WHERE state = 'running' RETURNING id`,
    );
    return rows.length;
  }

  async getRun(id: string): Promise<RescoreRunRow | undefined> {
    if (!isUuid(id)) return undefined;
    const { rows } = await this.db.query<Record<string, unknown>>(`SELECT * FROM fraud_rescore_runs WHERE id = $1`, [id]);
    const r = rows[0];
    if (!r) return undefined;
    return {
      id: r.id as string,
      requestedBy: r.requested_by as string,
      dryRun: r.dry_run as boolean,
      sendStatusUpdates: r.send_status_updates as boolean,
      from: r.range_from as Date,
      to: r.range_to as Date,
      campaignId: r.campaign_id as string | null,
      offerId: r.offer_id as string | null,
      state: r.state as RescoreRunRow['state'],
      progress: r.progress,
      error: r.error as string | null,
      startedAt: r.started_at as Date,
      finishedAt: r.finished_at as Date | null,
    };
  }
}

/** The stored readings of a conversion, without their weights (the new policy weighs them again). */
export function storedReadings(signals: readonly FraudSignal[]): SignalReading[] {
  return signals.map(({ weight: _weight, ...reading }) => reading);
}
