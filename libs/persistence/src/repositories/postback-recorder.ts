import { randomUUID } from 'node:crypto';
import {
  decideConversion,
  parseAmount,
  precheckPostback,
  SUB_PARAMS,
  type AttributionDecision,
  type Channel,
  type ConversionEvent,
  type ConversionSnapshot,
  type PostbackOutcome,
} from '@postwire/core';
import { deliveryValues, renderDelivery, wantsDelivery, type ForwardingFilter, type ForwardingFormat } from '@postwire/core';
import type { SqlClient, SqlExecutor } from '../client/sql-client';
import { capParams } from './capped-params';
import { CONVERSION_COLUMNS, conversionFromRow } from './conversion.columns';
import { ConversionRollups } from './conversion-rollups';
import { FORWARDING_COLUMNS, forwardingSettingsFromRow } from './traffic-source.repository';

export type { PostbackOutcome };

/** One inbound conversion event, already validated and in Postwire's vocabulary. */
export interface InboundConversion extends ConversionEvent {
  clickId: string;
  /** Set when the postback came through `/postback/:network`; must match the click's network. */
  networkId?: string;
  /** The parameters as received (size-capped by the caller), kept in the postback log. */
  params: Record<string, unknown>;
  ip?: string;
  receivedAt: Date;
}

/**
 * A postback that is acknowledged and logged but cannot make a conversion: an event type the
 * adapter does not know (`ignored`), or a genuine notification without a click id (`unattributed`,
 * kept with its txid and amounts for a later reconciliation).
 */
export interface LoggedOnlyPostback extends Omit<InboundConversion, 'clickId'> {
  outcome: 'ignored' | 'unattributed';
  reason: string;
}

export interface RecordResult {
  outcome: PostbackOutcome;
  conversionId?: string;
  reason?: string;
  /** Deliveries written in the same transaction; the caller enqueues them after commit. */
  deliveryIds: string[];
  postbackId: string;
}

/** Thrown for input that only turns out wrong once the click's offer is known. */
export class PostbackRefused extends Error {
  constructor(
    readonly param: string,
    message: string,
  ) {
    super(`${param}: ${message}`);
  }
}

interface ClickContext {
  clickId: string;
  clickAt: Date;
  campaignId: string;
  offerId: string;
  offerPayout: string | null;
  networkId: string;
  defaultCurrency: string;
  windowDays: number;
  manyPerClick: boolean | null;
  externalId: string | null;
  subs: Record<string, string | null>;
  source: { id: string } & ForwardingFilter & ForwardingFormat;
  /** No conversion matched this postback when the context was read; consumed by the first findForUpdate. */
  conversionAbsent: boolean;
}

interface ConversionRow extends ConversionSnapshot {
  id: string;
  revision: number;
}

/**
 * Turns one inbound postback or pixel into stored facts, all in one transaction: the conversion
 * (created or changed by the attribution engine), its status history, the deliveries owed to the
 * traffic source, and the postback log line. Races between identical postbacks are settled by
 * the unique indexes on conversions, never by locks in this process.
 */
export class PostbackRecorder {
  constructor(private readonly db: SqlClient) {}

  async record(input: InboundConversion): Promise<RecordResult> {
    const goal = input.goal ?? '';
    const ctx = await this.loadContext(input.clickId, goal, input.txid);
    const postbackId = randomUUID();
    const many = ctx?.manyPerClick === true;
    const verdict = precheckPostback(input, ctx && { clickAt: ctx.clickAt, networkId: ctx.networkId, windowDays: ctx.windowDays, manyPerClick: many });
    if (!verdict.ok) {
      if (verdict.outcome === 'refused')
        throw new PostbackRefused('txid', `is required: goal "${goal}" allows several conversions per click, told apart by txid`);
      // An unknown click or a mismatched network is logged under the network the postback named; a late one under the click's.
      const networkId = verdict.reason === 'outside_window' ? (ctx?.networkId ?? null) : (input.networkId ?? null);
      await this.log(this.db, postbackId, input, verdict.outcome, verdict.reason, null, networkId);
      return { outcome: verdict.outcome, reason: verdict.reason, deliveryIds: [], postbackId };
    }
    return this.db.transaction((tx) => this.apply(tx, postbackId, input, goal, many, ctx!));
  }

  /** Writes the postback log line only (no click, no conversion, no delivery). */
  async logOnly(input: LoggedOnlyPostback): Promise<RecordResult> {
    const postbackId = randomUUID();
    await this.log(this.db, postbackId, { ...input, clickId: null }, input.outcome, input.reason, null, input.networkId ?? null);
    return { outcome: input.outcome, reason: input.reason, deliveryIds: [], postbackId };
  }

  private async apply(tx: SqlExecutor, postbackId: string, input: InboundConversion, goal: string, many: boolean, ctx: ClickContext): Promise<RecordResult> {
    const event: ConversionEvent = { ...input, goal, clickId: ctx.clickId };
    const policy = { defaultCurrency: ctx.defaultCurrency, defaultPayout: ctx.offerPayout };
    // Two tries: if a racing transaction inserts the same conversion first, our INSERT does nothing,
    // and the second pass finds (and locks) the row it committed.
    for (let attempt = 0; attempt < 2; attempt++) {
      const existing = await this.findForUpdate(tx, ctx, input.txid, many ? null : goal);
      const decision = decideConversion(existing ?? undefined, event, policy);
      if (decision.outcome === 'rejected') {
        // Another click's conversion: nothing of it is touched, linked or echoed (not even its id).
        await this.log(tx, postbackId, input, 'rejected', decision.reason, null, ctx.networkId);
        return { outcome: 'rejected', reason: decision.reason, deliveryIds: [], postbackId };
      }
      if (decision.outcome === 'duplicate' || decision.outcome === 'ignored') {
        const reason = decision.outcome === 'ignored' ? decision.reason : undefined;
        await this.log(tx, postbackId, input, decision.outcome, reason ?? null, existing?.id ?? null, ctx.networkId);
        return { outcome: decision.outcome, reason, conversionId: existing?.id, deliveryIds: [], postbackId };
      }
      const forward = wantsDelivery(decision, ctx.source);
      let conversionId: string;
      let revision: number;
      if (!existing) {
        const inserted = await this.insertConversion(tx, ctx, decision, many ? null : goal);
        if (!inserted) continue;
        ({ id: conversionId, revision } = inserted);
        await ConversionRollups.created(tx, conversionId);
      } else {
        conversionId = existing.id;
        revision = existing.revision + (forward ? 1 : 0);
        // Report rollups move with the conversion, in this transaction: its old figures out, its new ones in.
        await ConversionRollups.retract(tx, conversionId);
        await this.updateConversion(tx, conversionId, decision, revision);
        await ConversionRollups.add(tx, conversionId);
      }
      if (decision.history) {
        const h = decision.history;
        await tx.query(
          `INSERT INTO conversion_status_history (conversion_id, from_status, to_status, payout_before, payout_after, channel, postback_id, changed_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
          [conversionId, h.from, h.to, h.payoutBefore, h.payoutAfter, h.channel, postbackId, input.receivedAt],
        );
      }
      const deliveryIds = forward ? [await this.insertDelivery(tx, ctx, conversionId, revision, decision)] : [];
      await this.log(tx, postbackId, input, decision.outcome, null, conversionId, ctx.networkId);
      return { outcome: decision.outcome, conversionId, deliveryIds, postbackId };
    }
    throw new Error('conversion insert lost a race twice; this cannot happen under unique indexes');
  }

  private async loadContext(clickId: string, goal: string, txid: string | undefined): Promise<ClickContext | undefined> {
    const { rows } = await this.db.query<Record<string, unknown>>(
      `SELECT c.id, c.created_at, c.campaign_id, c.external_id, ${SUB_PARAMS.map((s) => 'c.' + s).join(', ')},
              o.id AS offer_id, o.payout AS offer_payout, n.id AS network_id, n.default_currency, n.attribution_window_days,
              g.many_per_click, ts.id AS ts_id, ${FORWARDING_COLUMNS},
              -- The same match as findForUpdate, without the lock: a new conversion then needs no second look.
              NOT EXISTS (SELECT 1 FROM conversions cv WHERE $3::text IS NOT NULL AND cv.network_id = n.id AND cv.txid = $3)
                AND (g.many_per_click IS TRUE OR NOT EXISTS (SELECT 1 FROM conversions cv WHERE cv.click_id = c.id AND cv.single_key = $2)) AS conversion_absent
       FROM clicks c
       JOIN campaigns cp ON cp.id = c.campaign_id
       JOIN offers o ON o.id = cp.offer_id
       JOIN networks n ON n.id = o.network_id
       JOIN traffic_sources ts ON ts.id = cp.traffic_source_id
       LEFT JOIN offer_goals g ON g.offer_id = o.id AND g.goal = $2
       WHERE c.id = $1`,
      [clickId, goal, txid ?? null],
    );
    const r = rows[0];
    if (!r) return undefined;
    return {
      clickId: r.id as string,
      clickAt: r.created_at as Date,
      campaignId: r.campaign_id as string,
      offerId: r.offer_id as string,
      offerPayout: r.offer_payout as string | null,
      networkId: r.network_id as string,
      defaultCurrency: (r.default_currency as string).trim(),
      windowDays: r.attribution_window_days as number,
      manyPerClick: r.many_per_click as boolean | null,
      externalId: r.external_id as string | null,
      subs: Object.fromEntries(SUB_PARAMS.map((s) => [s, r[s] as string | null])),
      source: { id: r.ts_id as string, ...forwardingSettingsFromRow(r) },
      conversionAbsent: r.conversion_absent === true,
    };
  }

  private async findForUpdate(tx: SqlExecutor, ctx: ClickContext, txid: string | undefined, singleKey: string | null): Promise<ConversionRow | undefined> {
    // loadContext saw no match a moment ago, so the first pass goes straight to the INSERT (one
    // round trip less per new conversion). Should a twin commit in between, the INSERT's ON
    // CONFLICT DO NOTHING sends this postback to the second pass, which does lock and read.
    if (ctx.conversionAbsent) {
      ctx.conversionAbsent = false;
      return undefined;
    }
    const { rows } = await tx.query<Record<string, unknown>>(
      `SELECT ${CONVERSION_COLUMNS} FROM conversions
       WHERE ($2::text IS NOT NULL AND network_id = $1 AND txid = $2)
          OR ($4::text IS NOT NULL AND click_id = $3 AND single_key = $4)
       ORDER BY (txid IS NOT DISTINCT FROM $2::text) DESC
       LIMIT 1
       FOR UPDATE`,
      [ctx.networkId, txid ?? null, ctx.clickId, singleKey],
    );
    if (!rows[0]) return undefined;
    const c = conversionFromRow(rows[0]);
    // numeric(18,6) comes back as "5.000000"; the engine and the forwarded macros speak "5".
    return {
      id: c.id,
      clickId: c.clickId,
      status: c.status,
      payout: normaliseStored(c.payout),
      revenue: normaliseStored(c.revenue),
      currency: c.currency,
      txid: c.txid,
      goal: c.goal,
      source: c.source,
      pixelSeen: c.pixelSeen,
      revision: c.revision,
    };
  }

  private async insertConversion(
    tx: SqlExecutor,
    ctx: ClickContext,
    decision: Extract<AttributionDecision, { outcome: 'accepted' | 'updated' }>,
    singleKey: string | null,
  ): Promise<{ id: string; revision: number } | undefined> {
    const n = decision.next;
    const { rows } = await tx.query<{ id: string; revision: number }>(
      `INSERT INTO conversions (click_id, campaign_id, network_id, goal, single_key, txid, status, payout, revenue, currency, source, pixel_seen)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
       ON CONFLICT DO NOTHING
       RETURNING id, revision`,
      [ctx.clickId, ctx.campaignId, ctx.networkId, n.goal, singleKey, n.txid, n.status, n.payout, n.revenue, n.currency, n.source, n.pixelSeen],
    );
    return rows[0];
  }

  private async updateConversion(
    tx: SqlExecutor,
    id: string,
    decision: Extract<AttributionDecision, { outcome: 'accepted' | 'updated' }>,
    revision: number,
  ): Promise<void> {
    const n = decision.next;
    await tx.query(
      `UPDATE conversions SET status = $2, payout = $3, revenue = $4, currency = $5, txid = $6, source = $7, pixel_seen = $8,
              revision = $9, updated_at = now()
       WHERE id = $1`,
      [id, n.status, n.payout, n.revenue, n.currency, n.txid, n.source, n.pixelSeen, revision],
    );
  }

  private async insertDelivery(
    tx: SqlExecutor,
    ctx: ClickContext,
    conversionId: string,
    revision: number,
    decision: Extract<AttributionDecision, { outcome: 'accepted' | 'updated' }>,
  ): Promise<string> {
    const values = deliveryValues(ctx, conversionId, decision.next);
    const request = renderDelivery(ctx.source, values);
    const { rows } = await tx.query<{ id: string }>(
      `INSERT INTO deliveries (conversion_id, traffic_source_id, revision, event, method, url, body, headers, macro_values)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       RETURNING id`,
      [
        conversionId,
        ctx.source.id,
        revision,
        decision.changes[0] ?? 'created',
        request.method,
        request.url,
        request.body,
        JSON.stringify(request.headers),
        JSON.stringify(values),
      ],
    );
    return rows[0].id;
  }

  private async log(
    db: SqlExecutor,
    id: string,
    input: Omit<InboundConversion, 'clickId'> & { clickId: string | null },
    outcome: PostbackOutcome,
    reason: string | null,
    conversionId: string | null,
    networkId: string | null,
  ): Promise<void> {
    const canonical = {
      goal: input.goal,
      txid: input.txid,
      status: input.status,
      payout: input.payout,
      revenue: input.revenue,
      currency: input.currency,
      ...(input.statusByCurrent ? { statusByCurrent: input.statusByCurrent } : {}),
    };
    await db.query(
      `INSERT INTO postbacks (id, received_at, channel, network_id, click_id, params, canonical, ip, outcome, reason, conversion_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [
        id,
        input.receivedAt,
        input.channel,
        networkId,
        input.clickId,
        JSON.stringify(booksNothing(outcome) ? capParams(input.params) : input.params),
        JSON.stringify(canonical),
        input.ip ?? null,
        outcome,
        reason,
        conversionId,
      ],
    );
  }
}

/** Rows anyone can cause with a made-up click id; their raw parameters are capped (see capParams) and they expire (PostbackLogRetention). */
function booksNothing(outcome: PostbackOutcome): boolean {
  return outcome === 'unattributed' || outcome === 'rejected';
}

function normaliseStored(amount: string | null): string | null {
  if (amount === null) return null;
  const parsed = parseAmount(amount);
  return parsed.ok ? parsed.value : amount;
}

export type { Channel };
