import { randomUUID } from 'node:crypto';
import { deliveryValues, renderDelivery, wantsDelivery, type ConversionSnapshot, type FraudPolicy, type FraudSignal, type FraudVerdict } from '@postwire/core';
import type { SqlClient, SqlExecutor } from '../client/sql-client';
import { ConversionRollups } from './conversion-rollups';
import { isUuid } from './ids';
import type { DeliveryWrite } from './postback-batch/batch-plan';
import { insertFacts } from './postback-batch/batch-writer';
import { loadClickContexts } from './postback-batch/click-context';

/** Whose policy: a campaign's (wins) or an offer's. */
export type FraudPolicyOwner = 'campaign' | 'offer';

const POLICY_TABLES: Record<FraudPolicyOwner, { table: string; key: string; owner: string }> = {
  campaign: { table: 'campaign_fraud_policies', key: 'campaign_id', owner: 'campaigns' },
  offer: { table: 'offer_fraud_policies', key: 'offer_id', owner: 'offers' },
};

/** A conversion's stored fraud assessment and its hold. */
export interface ConversionFraud {
  conversionId: string;
  campaignId: string;
  score: number;
  verdict: FraudVerdict;
  signals: FraudSignal[];
  /** What did not run when it was scored (a scorer plugin that timed out); empty when everything answered. */
  notes: string[];
  holdState: 'held' | 'released' | 'rejected' | null;
  heldUntil: Date | null;
  holdExpiry: 'release' | 'reject' | null;
  decidedBy: string | null;
  decidedAt: Date | null;
  scoredAt: Date;
}

/** A held conversion as the review queue lists it. */
export interface HeldConversion extends ConversionFraud {
  clickId: string;
  goal: string;
  status: string;
  payout: string | null;
  currency: string;
  txid: string | null;
  /** Made by the console's test tools. */
  isTest: boolean;
}

export interface HeldFilter {
  /** Only these campaigns (a client's scope, or the one asked for); undefined: all. */
  campaignIds?: readonly string[];
  /** `true`: only test conversions, `false`: none; undefined: both. */
  test?: boolean;
  limit: number;
  offset: number;
}

/** What a release or rejection did: the conversions it decided (others were not held), and the deliveries to enqueue. */
export interface HoldDecision {
  decided: string[];
  deliveryIds: string[];
}

const FRAUD_COLUMNS = `f.conversion_id, f.campaign_id, f.score, f.verdict, f.signals, f.notes, f.hold_state, f.held_until, f.hold_expiry, f.decided_by, f.decided_at, f.scored_at`;

function fraudFromRow(r: Record<string, unknown>): ConversionFraud {
  return {
    conversionId: r.conversion_id as string,
    campaignId: r.campaign_id as string,
    score: Number(r.score),
    verdict: r.verdict as FraudVerdict,
    signals: r.signals as FraudSignal[],
    notes: (r.notes as string[] | null) ?? [],
    holdState: r.hold_state as ConversionFraud['holdState'],
    heldUntil: r.held_until as Date | null,
    holdExpiry: r.hold_expiry as ConversionFraud['holdExpiry'],
    decidedBy: r.decided_by as string | null,
    decidedAt: r.decided_at as Date | null,
    scoredAt: r.scored_at as Date,
  };
}

/** Fraud policies, conversions' assessments, and the review of held conversions (docs/fraud.md). */
export class FraudRepository {
  constructor(private readonly db: SqlClient) {}

  /** The stored policy (only what it changes from the defaults), `null` when none; undefined for an unknown campaign or offer. */
  async getPolicy(owner: FraudPolicyOwner, id: string): Promise<Partial<FraudPolicy> | null | undefined> {
    if (!isUuid(id)) return undefined;
    const { table, key, owner: owners } = POLICY_TABLES[owner];
    const { rows } = await this.db.query<{ policy: Partial<FraudPolicy> | null }>(
      `SELECT p.policy FROM ${owners} o LEFT JOIN ${table} p ON p.${key} = o.id WHERE o.id = $1`,
      [id],
    );
    return rows.length === 0 ? undefined : rows[0].policy;
  }

  /** The stored policy of a campaign's offer, the layer under the campaign's own; `null` when the offer has none (or no such campaign). */
  async offerPolicyOf(campaignId: string): Promise<Partial<FraudPolicy> | null> {
    if (!isUuid(campaignId)) return null;
    const { rows } = await this.db.query<{ policy: Partial<FraudPolicy> }>(
      `SELECT p.policy FROM campaigns c JOIN offer_fraud_policies p ON p.offer_id = c.offer_id WHERE c.id = $1`,
      [campaignId],
    );
    return rows[0]?.policy ?? null;
  }

  /** Replaces the policy; false for an unknown campaign or offer. Runs on `tx` when given (with its audit record). */
  async setPolicy(owner: FraudPolicyOwner, id: string, policy: Partial<FraudPolicy>, tx: SqlExecutor = this.db): Promise<boolean> {
    if (!isUuid(id)) return false;
    const { table, key, owner: owners } = POLICY_TABLES[owner];
    const { rows } = await tx.query(
      `INSERT INTO ${table} (${key}, policy, updated_at) SELECT id, $2::jsonb, now() FROM ${owners} WHERE id = $1
       ON CONFLICT (${key}) DO UPDATE SET policy = EXCLUDED.policy, updated_at = now() RETURNING 1`,
      [id, JSON.stringify(policy)],
    );
    return rows.length > 0;
  }

  /** A conversion's assessment; undefined when it was not scored (a test conversion, or one older than fraud scoring). */
  async forConversion(conversionId: string): Promise<ConversionFraud | undefined> {
    if (!isUuid(conversionId)) return undefined;
    const { rows } = await this.db.query<Record<string, unknown>>(`SELECT ${FRAUD_COLUMNS} FROM conversion_fraud f WHERE f.conversion_id = $1`, [conversionId]);
    return rows[0] ? fraudFromRow(rows[0]) : undefined;
  }

  /** One page of held conversions, the oldest hold first, and how many are held in all. */
  async listHeld(filter: HeldFilter): Promise<{ items: HeldConversion[]; total: number }> {
    // The filters' parameters come first, shared by the page and the count; the page's limit and offset after them.
    const params: unknown[] = [];
    const where = [`f.hold_state = 'held'`];
    if (filter.campaignIds !== undefined) where.push(`f.campaign_id = ANY($${params.push(filter.campaignIds.filter(isUuid))}::uuid[])`);
    if (filter.test !== undefined) where.push(`c.is_test = $${params.push(filter.test)}`);
    const [page, total] = await Promise.all([
      this.db.query<Record<string, unknown>>(
        `SELECT ${FRAUD_COLUMNS}, c.click_id, c.goal, c.status, c.payout::text AS payout, trim(c.currency) AS currency, c.txid, c.is_test
         FROM conversion_fraud f JOIN conversions c ON c.id = f.conversion_id
         WHERE ${where.join(' AND ')} ORDER BY f.scored_at, f.conversion_id LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
        [...params, filter.limit, filter.offset],
      ),
      this.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM conversion_fraud f${filter.test === undefined ? '' : ' JOIN conversions c ON c.id = f.conversion_id'} WHERE ${where.join(' AND ')}`,
        params,
      ),
    ]);
    return {
      total: total.rows[0].n,
      items: page.rows.map((r) => ({
        ...fraudFromRow(r),
        clickId: r.click_id as string,
        goal: r.goal as string,
        status: r.status as string,
        payout: r.payout as string | null,
        currency: r.currency as string,
        txid: r.txid as string | null,
        isTest: r.is_test as boolean,
      })),
    };
  }

  /**
   * Releases held conversions: each is forwarded now, once (the hold is taken in the same statement
   * that marks it released, so two releases cannot both forward). Ids not held are left alone.
   * `onDecided` runs in the transaction (the audit record).
   */
  release(ids: readonly string[], by: string, onDecided?: (tx: SqlExecutor, decided: string[]) => Promise<void>): Promise<HoldDecision> {
    return this.db.transaction(async (tx) => {
      const decided = await decideHolds(tx, ids, 'released', by);
      const deliveryIds = await forwardReleased(tx, decided);
      if (decided.length && onDecided) await onDecided(tx, decided);
      return { decided, deliveryIds };
    });
  }

  /** Rejects held conversions: declined (report figures and history follow), never forwarded. Ids not held are left alone. */
  reject(ids: readonly string[], by: string, onDecided?: (tx: SqlExecutor, decided: string[]) => Promise<void>): Promise<HoldDecision> {
    return this.db.transaction(async (tx) => {
      const decided = await decideHolds(tx, ids, 'rejected', by, decline);
      if (decided.length && onDecided) await onDecided(tx, decided);
      return { decided, deliveryIds: [] };
    });
  }

  /** Decides the holds past their time by each one's rule; returns what was released (with its deliveries) and rejected. */
  async expire(now: Date = new Date(), limit = 500): Promise<{ released: HoldDecision; rejected: HoldDecision }> {
    const { rows } = await this.db.query<{ conversion_id: string; hold_expiry: string }>(
      `SELECT conversion_id, hold_expiry FROM conversion_fraud WHERE hold_state = 'held' AND held_until <= $1 ORDER BY held_until LIMIT $2`,
      [now, limit],
    );
    const of = (rule: string) => rows.filter((r) => r.hold_expiry === rule).map((r) => r.conversion_id);
    return { released: await this.release(of('release'), 'hold expired'), rejected: await this.reject(of('reject'), 'hold expired') };
  }
}

/**
 * Takes the holds and moves the report figures with them (held out; rejected-as-fraud and the
 * declined status in): the rollups are retracted while the conversions are still held, then added back
 * once decided. `change` runs in between (declining the rejected).
 */
async function decideHolds(
  tx: SqlExecutor,
  ids: readonly string[],
  state: 'released' | 'rejected',
  by: string,
  change?: (tx: SqlExecutor, decided: string[]) => Promise<void>,
): Promise<string[]> {
  const valid = ids.filter(isUuid);
  if (valid.length === 0) return [];
  // Locked first, so the figures retracted are those of the holds this transaction then takes.
  const { rows } = await tx.query<{ conversion_id: string }>(
    `SELECT conversion_id FROM conversion_fraud WHERE conversion_id = ANY($1::uuid[]) AND hold_state = 'held' ORDER BY conversion_id FOR UPDATE`,
    [valid],
  );
  const held = rows.map((r) => r.conversion_id);
  if (held.length === 0) return [];
  await ConversionRollups.retract(tx, held);
  const decided = await takeHolds(tx, held, state, by);
  if (change) await change(tx, decided);
  await ConversionRollups.add(tx, held);
  return decided;
}

/** Marks held conversions released or rejected by `by`, returning those that were held (the others are left alone). */
export async function takeHolds(tx: SqlExecutor, ids: readonly string[], state: 'released' | 'rejected', by: string): Promise<string[]> {
  const valid = ids.filter(isUuid);
  if (valid.length === 0) return [];
  const { rows } = await tx.query<{ conversion_id: string }>(
    `UPDATE conversion_fraud SET hold_state = $2, decided_by = $3, decided_at = now()
     WHERE conversion_id = ANY($1::uuid[]) AND hold_state = 'held' RETURNING conversion_id`,
    [valid, state, by],
  );
  return rows.map((r) => r.conversion_id);
}

/** The deliveries a released conversion is owed now: as if it had just been accepted, at its current revision. */
export function forwardReleased(tx: SqlExecutor, ids: readonly string[]): Promise<string[]> {
  return forwardNews(tx, ids, 'created');
}

/**
 * The deliveries owed for news about conversions: `created` (a released hold: as if it had just been
 * accepted) or `status_changed` (a status the source was already told otherwise), at the current revision,
 * to each source that wants that news.
 */
export async function forwardNews(tx: SqlExecutor, ids: readonly string[], news: 'created' | 'status_changed'): Promise<string[]> {
  if (ids.length === 0) return [];
  const { rows } = await tx.query<Record<string, unknown>>(
    `SELECT c.id, c.click_id, c.goal, c.status, c.payout::text AS payout, c.revenue::text AS revenue, trim(c.currency) AS currency, c.txid, c.source,
            c.pixel_seen, c.revision, f.score,
            ARRAY(SELECT s->>'code' FROM jsonb_array_elements(f.signals) s WHERE (s->>'fired')::boolean) AS reasons
     FROM conversions c JOIN conversion_fraud f ON f.conversion_id = c.id WHERE c.id = ANY($1::uuid[]) ORDER BY c.id`,
    [ids],
  );
  const contexts = await loadClickContexts(
    tx,
    rows.map((r) => ({ clickId: r.click_id as string, goal: r.goal as string })),
  );
  const deliveries: DeliveryWrite[] = [];
  rows.forEach((r, i) => {
    const ctx = contexts[i];
    if (!ctx) return;
    const next: ConversionSnapshot = {
      status: r.status as ConversionSnapshot['status'],
      payout: r.payout as string | null,
      revenue: r.revenue as string | null,
      currency: r.currency as string,
      txid: r.txid as string | null,
      goal: r.goal as string,
      source: r.source as ConversionSnapshot['source'],
      pixelSeen: r.pixel_seen as boolean,
    };
    if (
      !wantsDelivery(
        {
          outcome: 'accepted',
          next,
          changes: [news],
          history: {
            from: null,
            to: next.status,
            payoutBefore: null,
            payoutAfter: next.payout,
            currencyBefore: null,
            currencyAfter: next.currency,
            channel: next.source,
          },
        },
        ctx.source,
      )
    )
      return;
    const values = deliveryValues(ctx, r.id as string, next, { score: Number(r.score), reasons: r.reasons as string[] });
    const request = renderDelivery(ctx.source, values);
    deliveries.push({
      id: randomUUID(),
      conversionId: r.id as string,
      trafficSourceId: ctx.source.id,
      revision: r.revision as number,
      event: news,
      method: request.method,
      url: request.url,
      body: request.body,
      headers: request.headers,
      values,
      test: false,
      retryScheduleMs: ctx.source.campaignRetryScheduleMs,
    });
  });
  if (deliveries.length) await insertFacts(tx, [], deliveries, []);
  return deliveries.map((d) => d.id);
}

/**
 * Declines rejected conversions; their history says who rejected them. The caller moves their report figures
 * around this (ConversionRollups.retract before, add after), as decideHolds does.
 * `bumpRevision`: the change is news to a source already told otherwise (a status update follows).
 */
export async function decline(tx: SqlExecutor, ids: readonly string[], bumpRevision = false): Promise<void> {
  if (ids.length === 0) return;
  await tx.query(
    `WITH before AS (SELECT id, status, payout, source FROM conversions WHERE id = ANY($1::uuid[]) AND status <> 'declined' FOR UPDATE),
     changed AS (UPDATE conversions c SET status = 'declined', updated_at = now()${bumpRevision ? ', revision = c.revision + 1' : ''} FROM before b WHERE c.id = b.id RETURNING c.id)
     INSERT INTO conversion_status_history (conversion_id, from_status, to_status, payout_before, payout_after, channel)
     SELECT b.id, b.status, 'declined', b.payout, b.payout, b.source FROM before b`,
    [ids],
  );
}
