import { randomUUID } from 'node:crypto';
import {
  parseAmount,
  precheckPostback,
  GroupCommit,
  RefusalFloodGate,
  type Channel,
  type FraudScorer,
  type PostbackOutcome,
  type RefusalReason,
  type VelocityCounter,
} from '@postwire/core';
import type { SqlClient, SqlExecutor } from '../client/sql-client';
import { ConversionRollups } from './conversion-rollups';
import { planBatch, withoutContext, type LogWrite, type PlannedPostback } from './postback-batch/batch-plan';
import {
  conversionLockKeys,
  insertConversions,
  insertFacts,
  addRefusalCounts,
  insertLog,
  lockConversionKeys,
  REFUSALS_KEPT_PER_IP_PER_MIN,
  type LogCap,
  lockStoredConversions,
  updateConversions,
} from './postback-batch/batch-writer';
import { loadClickContexts } from './postback-batch/click-context';
import { ConversionRateLookup } from './postback-batch/conversion-rates';
import { insertFraudRows, loadStoredFraud } from './postback-batch/fraud-rows';
import { screenPlan } from './postback-batch/fraud-screen';
import { countConversionVelocity } from './postback-batch/conversion-velocity';
import { askScorerPlugins, type IntakeScorers } from './postback-batch/conversion-plugin-readings';
import type { InboundConversion } from './postback-batch/inbound-conversion';

export type { PostbackOutcome, InboundConversion };
export type { IntakeScorers, PluginAnswer } from './postback-batch/conversion-plugin-readings';
export type { ClickContext } from './postback-batch/click-context';
export { ClickContextLoader } from './postback-batch/click-context';
export { REFUSALS_KEPT_PER_IP_PER_MIN } from './postback-batch/batch-writer';

/**
 * A postback that is acknowledged and logged but cannot make a conversion: an event type the
 * adapter does not know (`ignored`), or a genuine notification without a click id (`unattributed`,
 * kept with its txid and amounts for a later reconciliation).
 */
export interface LoggedOnlyPostback extends Omit<InboundConversion, 'clickId' | 'context'> {
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

/** A request to a postback or pixel route that was refused before anything was booked: one `refused` row of the postback log. */
export interface RefusedRequest {
  channel: Channel;
  receivedAt: Date;
  /** The network of the path, when it names a known one. */
  networkId: string | null;
  /** The click id the request named, when it could be read. */
  clickId: string | null;
  /** The parameters as received, with secrets masked and personal data removed by the caller; capped here. */
  params: Record<string, unknown>;
  ip: string;
  reasonCode: RefusalReason;
  /** The detail: the error code answered, and the parameter a 400 named. */
  detail: string;
  httpStatus: number;
  method: string;
  path: string;
}

/** Refusals waiting for their write beyond which further ones are not written (only counted in the app log): memory stays bounded in a flood. */
const MAX_PENDING_REFUSALS = 5000;
const MAX_PATH_LENGTH = 512;
/** How long counts of refusals past the flood bound wait in memory before one statement adds them up. */
const COUNT_FLUSH_MS = 1000;

/** Thrown for input that only turns out wrong once the click's offer is known. */
export class PostbackRefused extends Error {
  constructor(
    readonly param: string,
    message: string,
  ) {
    super(`${param}: ${message}`);
  }
}

/** What one caller of {@link PostbackRecorder.record} gets back from its batch: its result, or the error that is its alone. */
type Settled = { ok: true; result: RecordResult } | { ok: false; error: unknown };

/** Errors after which the same batch, run again, can succeed: deadlock, serialization failure. */
const RETRYABLE = new Set(['40P01', '40001']);
const MAX_TRIES = 3;

/** A conversion this batch meant to create exists already, inserted by a writer that took no key lock; the batch is decided again. */
class TwinInserted extends Error {}

/**
 * Turns inbound postbacks and pixels into stored facts. Postbacks that arrive together are recorded
 * together (group commit): the calls made while a batch is being written join the next one, which
 * starts the moment the running one commits, so a lone postback waits for nothing and a burst shares
 * one transaction and a dozen set-based statements. In that transaction: the conversions (created or
 * changed by the attribution engine, {@link planBatch}), their status history, the report rollups, the
 * deliveries owed to traffic sources, and one postback log line per postback. Each caller is answered
 * after the commit that holds its postback.
 *
 * Dedup stays exact: postbacks inside one batch are decided one after another; across batches and
 * processes, key locks ({@link conversionLockKeys}) and the unique indexes on conversions settle races.
 * A batch that fails for a reason of its data is split and each postback recorded on its own, so one
 * bad postback fails alone.
 */
export class PostbackRecorder {
  private readonly batches: GroupCommit<InboundConversion, Settled>;

  private readonly logCap: LogCap;

  /** Refusals are written in batches of their own, beside the postbacks' batches: a flood of them never delays a conversion's commit. */
  private readonly refusals: GroupCommit<RefusedRequest, void>;
  private refusalsNotWritten = 0;
  /** Refusals past the per-address bound are counted here, in memory, and added to `postback_refusals_counted` once a second. */
  private readonly floodGate = new RefusalFloodGate(REFUSALS_KEPT_PER_IP_PER_MIN);
  private countFlush?: NodeJS.Timeout;

  private readonly fraud?: FraudScorer;
  /** Conversion rates for the `conversionRate` policy setting, cached for a minute per source and zone. */
  private readonly rates = new ConversionRateLookup();
  private readonly velocity?: VelocityCounter;
  /** The installed scorer plugins, with the intake timeout; undefined or empty: no plugin is asked (no async step at all). */
  private plugins?: IntakeScorers;

  /**
   * `logBytesPerDay`: once the postback log took this much today (UTC), rows that book nothing are counted, not stored.
   * `fraud`: scores each new conversion against its campaign's policy (docs/fraud.md); without it nothing is scored.
   * `velocity`: counts new conversions per IP and device (Redis) for the velocity and duplicate signals.
   * `plugins`: the installed scorer plugins, asked about each new conversion (docs/plugins.md#fraud-scorers).
   */
  constructor(
    private readonly db: SqlClient,
    options: { maxBatch?: number; logBytesPerDay?: number; fraud?: FraudScorer; velocity?: VelocityCounter; plugins?: IntakeScorers } = {},
  ) {
    this.logCap = { bytesPerDay: options.logBytesPerDay };
    this.fraud = options.fraud;
    this.velocity = options.velocity;
    this.plugins = options.plugins;
    // One batch at a time: the next one forms while this one commits. Two would only queue on the
    // same rollup rows (a campaign's totals), and PGlite runs one statement at a time anyway.
    this.batches = new GroupCommit((inputs) => this.recordSettled(inputs), { maxBatch: options.maxBatch ?? 200, maxInFlight: 1 });
    this.refusals = new GroupCommit((rows) => this.writeRefusals(rows), { maxBatch: 500, maxInFlight: 1 });
  }

  /** Takes the installed scorer plugins (once, when they are loaded: the app knows them only after the recorder is made). */
  adoptScorerPlugins(plugins: IntakeScorers): void {
    this.plugins = plugins;
  }

  /**
   * Logs a refused request (outcome `refused`). Its row is subject to the same per-row parameter cap,
   * day's byte cap and retention as the other rows that book nothing, and to the per-address flood bound
   * ({@link REFUSALS_KEPT_PER_IP_PER_MIN}). Never rejects: the sender's answer must not depend on this write.
   * Resolves to whether the refusal was handed to the database (false once too many are waiting).
   */
  async recordRefusal(refusal: RefusedRequest): Promise<boolean> {
    if (!this.floodGate.admit(refusal.ip, refusal.reasonCode, refusal.receivedAt)) {
      this.countFlush ??= setTimeout(() => void this.flushRefusalCounts(), COUNT_FLUSH_MS).unref();
      return true;
    }
    if (this.refusals.pending >= MAX_PENDING_REFUSALS) {
      this.refusalsNotWritten++;
      return false;
    }
    try {
      await this.refusals.add(refusal);
      return true;
    } catch {
      this.refusalsNotWritten++;
      return false;
    }
  }

  /** Adds the refusals counted in memory to `postback_refusals_counted` now (a flood's counts are otherwise added once a second). */
  async flushRefusalCounts(): Promise<void> {
    clearTimeout(this.countFlush);
    this.countFlush = undefined;
    const counts = this.floodGate.drain();
    try {
      await addRefusalCounts(this.db, counts);
    } catch {
      this.refusalsNotWritten += counts.reduce((sum, c) => sum + c.count, 0);
    }
  }

  /** Refusals that could not be written since start (too many waiting, or the database failed). */
  get refusalsDropped(): number {
    return this.refusalsNotWritten;
  }

  private async writeRefusals(rows: RefusedRequest[]): Promise<void[]> {
    await insertLog(
      this.db,
      rows.map((r) => ({
        id: randomUUID(),
        input: { channel: r.channel, clickId: r.clickId, params: r.params, ip: r.ip, receivedAt: r.receivedAt, networkId: r.networkId ?? undefined },
        outcome: 'refused' as const,
        reason: r.detail.slice(0, 200),
        conversionId: null,
        networkId: r.networkId,
        refusal: { reasonCode: r.reasonCode, httpStatus: r.httpStatus, method: r.method.slice(0, 16), path: r.path.slice(0, MAX_PATH_LENGTH) },
      })),
      this.logCap,
    );
    return rows.map(() => undefined);
  }

  /** Records one postback or pixel; resolves after the commit that holds it. Throws {@link PostbackRefused} for input only the click can show wrong. */
  async record(input: InboundConversion): Promise<RecordResult> {
    const settled = await this.batches.add(input);
    if (!settled.ok) throw settled.error;
    return settled.result;
  }

  /** Writes the postback log line only (no click, no conversion, no delivery). */
  async logOnly(input: LoggedOnlyPostback): Promise<RecordResult> {
    const postbackId = randomUUID();
    await insertLog(
      this.db,
      [
        {
          id: postbackId,
          input: { ...input, clickId: null },
          outcome: input.outcome,
          reason: input.reason,
          conversionId: null,
          networkId: input.networkId ?? null,
        },
      ],
      this.logCap,
    );
    return { outcome: input.outcome, reason: input.reason, deliveryIds: [], postbackId };
  }

  /** Records a batch; never rejects: each caller gets its own result or error. */
  private async recordSettled(inputs: InboundConversion[]): Promise<Settled[]> {
    for (let tries = 1; ; tries++) {
      try {
        return await this.recordBatch(inputs);
      } catch (error) {
        const retryable = error instanceof TwinInserted || RETRYABLE.has((error as { code?: string })?.code ?? '');
        if (retryable && tries < MAX_TRIES) continue;
        if (inputs.length === 1) return [{ ok: false, error }];
        // Something in the batch made a statement fail: record each postback on its own, so that only its own caller sees the error.
        const alone: Settled[] = [];
        for (const input of inputs) alone.push(...(await this.recordSettled([input])));
        return alone;
      }
    }
  }

  private async recordBatch(inputs: readonly InboundConversion[]): Promise<Settled[]> {
    const settled: Settled[] = new Array(inputs.length);
    const results = await this.db.transaction((tx) => this.write(tx, inputs, settled), { genericPlans: true });
    for (const [slot, result] of results) settled[slot] = { ok: true, result };
    return settled;
  }

  /** The batch's transaction; `settled` gets the refusals, the answer the results, by slot. */
  private async write(tx: SqlExecutor, inputs: readonly InboundConversion[], settled: Settled[]): Promise<Map<number, RecordResult>> {
    const goals = inputs.map((input) => input.goal ?? '');
    const contexts = inputs.map((input, i) => (input.context?.clickId === input.clickId && input.context.goal === goals[i] ? input.context : undefined));
    const missing = inputs.map((_, i) => i).filter((i) => !contexts[i]);
    const loaded = await loadClickContexts(
      tx,
      missing.map((i) => ({ clickId: inputs[i].clickId, goal: goals[i] })),
    );
    missing.forEach((i, n) => (contexts[i] = loaded[n]));

    const results = new Map<number, RecordResult>();
    const early: LogWrite[] = [];
    const planned: PlannedPostback[] = [];
    inputs.forEach((input, slot) => {
      const ctx = contexts[slot];
      const postbackId = randomUUID();
      const many = ctx?.manyPerClick === true;
      const verdict = precheckPostback(input, ctx && { clickAt: ctx.clickAt, networkId: ctx.networkId, windowDays: ctx.windowDays, manyPerClick: many });
      if (verdict.ok) {
        planned.push({ slot, postbackId, input, ctx: ctx!, goal: goals[slot], many });
        return;
      }
      if (verdict.outcome === 'refused') {
        settled[slot] = {
          ok: false,
          error: new PostbackRefused('txid', `is required: goal "${goals[slot]}" allows several conversions per click, told apart by txid`),
        };
        return;
      }
      // An unknown click or a mismatched network is logged under the network the postback named; a late one under the click's.
      const networkId = verdict.reason === 'outside_window' ? (ctx?.networkId ?? null) : (input.networkId ?? null);
      early.push({ id: postbackId, input: withoutContext(input), outcome: verdict.outcome, reason: verdict.reason, conversionId: null, networkId });
      results.set(slot, { outcome: verdict.outcome, reason: verdict.reason, deliveryIds: [], postbackId });
    });
    if (planned.length === 0) {
      await insertLog(tx, early, this.logCap);
      return results;
    }

    await lockConversionKeys(tx, conversionLockKeys(planned));
    const stored = await lockStoredConversions(tx, planned, normaliseStored);
    const plan = planBatch(planned, stored, randomUUID);
    // Fraud verdicts change the plan (held or rejected conversions lose their deliveries, a conversion rejected
    // as fraud is not changed), so they come before any write, with what they measure read first. The velocity
    // counts are one Redis round trip, bounded (50 ms), so the transaction waits no longer for it; the scorer
    // plugins are asked meanwhile, bounded by FRAUD_SCORER_INTAKE_TIMEOUT_MS.
    const fresh = plan.conversions.filter((c) => c.created);
    const now = new Date();
    const asking = this.fraud && this.plugins && !this.plugins.empty && fresh.length ? askScorerPlugins(this.plugins, fresh, now) : undefined;
    const velocity = this.fraud && this.velocity ? await countConversionVelocity(this.velocity, fresh, now) : undefined;
    const plugins = asking ? await asking : undefined;
    const fraud = this.fraud
      ? screenPlan(
          plan,
          this.fraud,
          await loadStoredFraud(
            tx,
            plan.conversions.filter((c) => !c.created).map((c) => c.id),
          ),
          await this.rates.ratesOf(tx, fresh),
          velocity,
          plugins,
        )
      : [];
    // After the screen: a conversion rejected as fraud has left the plan's changes (keepRejected).
    const created = plan.conversions.filter((c) => c.created);
    const changed = plan.conversions.filter((c) => !c.created);
    // Report rollups move with the conversions, in this transaction: old figures out, new ones in.
    await ConversionRollups.retract(
      tx,
      changed.map((c) => c.id),
    );
    if ((await insertConversions(tx, created)) !== created.length) throw new TwinInserted();
    await insertFraudRows(tx, fraud);
    await updateConversions(tx, changed);
    // Test conversions stay out of the reports (and so out of the alerts, which read them).
    await ConversionRollups.add(
      tx,
      plan.conversions.filter((c) => !c.test).map((c) => c.id),
    );
    await insertFacts(tx, plan.history, plan.deliveries, [...early, ...plan.log], this.logCap);
    for (const [slot, result] of plan.results) results.set(slot, result);
    return results;
  }
}

function normaliseStored(amount: string | null): string | null {
  if (amount === null) return null;
  const parsed = parseAmount(amount);
  return parsed.ok ? parsed.value : amount;
}

export type { Channel };
