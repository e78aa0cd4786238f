import { randomUUID } from 'node:crypto';
import {
  conversionRescoreAction,
  firedReasons,
  RESCORE_LIMITS,
  RescoreTally,
  verdictFor,
  withFraudDefaults,
  type AuditActor,
  type FraudAssessment,
  type FraudPolicy,
  type FraudScorer,
  type RescoreSummary,
  type SignalReading,
} from '@postwire/core';
import type { SqlClient, SqlExecutor } from '../../client/sql-client';
import { ConversionRollups } from '../conversion-rollups';
import { decline, forwardNews, takeHolds } from '../fraud.repository';
import {
  storedReadings,
  type FraudRescoreRepository,
  type RescoreConversion,
  type RescoreCursor,
  type RescoreScope,
  type RescoredClickWrite,
  type RescoredConversionWrite,
} from './fraud-rescore.repository';

/** What an operator asked for. */
export interface RescoreRequest extends RescoreScope {
  dryRun: boolean;
  sendStatusUpdates: boolean;
}

/** What a run stores as its progress (and, once done, its result). */
export interface RescoreProgress {
  summary: RescoreSummary;
  deliveriesQueued: number;
}

/** A click as scorer plugins see it (the SDK's `ScorerClick`). */
interface PluginClick {
  id: string;
  campaignId: string;
  at: Date;
  ip: string | null;
  userAgent: string | null;
  subs: Record<string, string>;
}

/** The installed scorer plugins, asked with their timeout (the runtime's `PluginScoring`). */
export interface RescorePlugins {
  readonly empty: boolean;
  /** Every code they declare: their stored readings are not carried over, they answer again. */
  readonly codes: ReadonlySet<string>;
  scoreClick(click: PluginClick): Promise<{ readings: SignalReading[]; notes: string[] }>;
  scoreConversion(conversion: {
    id: string;
    campaignId: string;
    at: Date;
    goal: string;
    payout: string | null;
    currency: string;
    click: PluginClick;
  }): Promise<{ readings: SignalReading[]; notes: string[] }>;
}

export interface FraudRescorerOptions {
  reportCurrency: string;
  /** Records audit entries in the batch's transaction. */
  audit(
    actor: AuditActor,
    entries: Array<{ entityType: string; entityId: string; action: string; before: unknown; after: unknown }>,
    tx: SqlExecutor,
  ): Promise<void>;
  /** Deliveries made by a committed batch (releases, status updates): to put in the delivery queue. */
  onDeliveries(ids: string[]): void;
  /** Whether to stop between batches (the process is shutting down). */
  stopping(): boolean;
  /** Rows read (and written in one transaction) at a time: {@link RESCORE_LIMITS}' batch size unless set. */
  batchSize?: number;
}

type Applied = Exclude<ReturnType<typeof conversionRescoreAction>, 'unchanged' | 'kept_decided'>;

/**
 * Scores a date range of clicks and conversions again under today's policies (docs/fraud.md#re-scoring).
 * Reads in keyset batches; an applied run writes each batch in its own transaction, so millions of clicks
 * never hold one transaction or the process's memory. Progress is stored after every batch. A conversion
 * a review decided between the read and the write is left as the review made it.
 */
export class FraudRescorer {
  constructor(
    private readonly db: SqlClient,
    private readonly runs: FraudRescoreRepository,
    private readonly scorer: FraudScorer,
    private readonly plugins: RescorePlugins,
    private readonly options: FraudRescorerOptions,
  ) {}

  /**
   * Records a run (with its policies, and an audit entry when it applies) and sets it going; undefined for
   * an unknown campaign or offer. `done` settles when the run is over and never rejects: a failure is stored on the run.
   */
  async start(request: RescoreRequest, actor: AuditActor, requestedBy: string): Promise<{ runId: string; done: Promise<void> } | undefined> {
    const stored = await this.runs.policies(request);
    if (stored.size === 0 && (request.campaignId !== undefined || request.offerId !== undefined)) return undefined;
    const runId = randomUUID();
    const tally = new RescoreTally(this.options.reportCurrency);
    await this.db.transaction(async (tx) => {
      await this.runs.createRun(
        {
          id: runId,
          requestedBy,
          dryRun: request.dryRun,
          sendStatusUpdates: request.sendStatusUpdates,
          scope: request,
          policySnapshot: Object.fromEntries(stored),
          progress: { summary: tally.result(), deliveriesQueued: 0 } satisfies RescoreProgress,
        },
        tx,
      );
      if (!request.dryRun) {
        const after = {
          from: request.from,
          to: request.to,
          campaignId: request.campaignId ?? null,
          offerId: request.offerId ?? null,
          sendStatusUpdates: request.sendStatusUpdates,
        };
        await this.options.audit(actor, [{ entityType: 'fraud_rescore_run', entityId: runId, action: 'fraud_rescore', before: null, after }], tx);
      }
    });
    const policies = new Map([...stored].map(([campaignId, policy]) => [campaignId, withFraudDefaults(policy)]));
    return { runId, done: this.execute(runId, request, policies, tally, actor) };
  }

  private async execute(runId: string, request: RescoreRequest, policies: Map<string, FraudPolicy>, tally: RescoreTally, actor: AuditActor): Promise<void> {
    const progress = { deliveriesQueued: 0 };
    try {
      const campaignIds = [...policies.keys()];
      if (campaignIds.length) {
        await this.clicks(runId, request, campaignIds, policies, tally, progress);
        await this.conversions(runId, request, campaignIds, policies, tally, progress, actor);
      }
      await this.runs.finishRun(runId, { state: 'done', progress: { summary: tally.result(), deliveriesQueued: progress.deliveriesQueued } });
    } catch (error) {
      await this.runs
        .finishRun(runId, {
          state: 'failed',
          progress: { summary: tally.result(), deliveriesQueued: progress.deliveriesQueued },
          error: (error as Error).message,
        })
        .catch(() => undefined);
    }
  }

  private async clicks(
    runId: string,
    request: RescoreRequest,
    campaignIds: string[],
    policies: Map<string, FraudPolicy>,
    tally: RescoreTally,
    progress: { deliveriesQueued: number },
  ): Promise<void> {
    let cursor: RescoreCursor | null = null;
    for (;;) {
      this.checkStopping();
      const batch = await this.runs.clicks(campaignIds, request, cursor, this.options.batchSize ?? RESCORE_LIMITS.batchSize);
      if (batch.length === 0) return;
      const writes: RescoredClickWrite[] = [];
      for (const click of batch) {
        const policy = policies.get(click.campaignId)!;
        let after = this.scorer.assessClick(click, policy);
        if (!this.plugins.empty) {
          const answer = await this.plugins.scoreClick({
            id: click.id,
            campaignId: click.campaignId,
            at: click.createdAt,
            ip: click.ip,
            userAgent: click.userAgent,
            subs: presentSubs(click.subs),
          });
          after = this.scorer.withReadings(after, answer.readings, policy, answer.notes);
          for (const note of answer.notes) tally.note(note);
        }
        const reasons = firedReasons(after);
        // Suspicious as the click path judges it (its verdict under the policy), so reports count it alike.
        const suspicious = verdictFor(after.score, policy) !== 'allow';
        // A new policy's flag score can change the flag with the score unchanged: that is a change too.
        const wasSuspicious = click.suspicious ?? (click.score !== null && verdictFor(click.score, policy) !== 'allow');
        const changed = click.score !== after.score || !sameList(click.reasons, reasons) || click.suspicious !== suspicious;
        tally.click(changed, wasSuspicious, suspicious);
        if (changed) writes.push({ id: click.id, createdAt: click.createdAt, score: after.score, reasons, suspicious });
      }
      const snapshot = { summary: tally.result(), deliveriesQueued: progress.deliveriesQueued };
      if (request.dryRun || writes.length === 0) await this.runs.saveProgress(runId, snapshot);
      else
        await this.db.transaction(async (tx) => {
          await this.runs.writeClicks(tx, writes);
          await this.runs.saveProgress(runId, snapshot, tx);
        });
      cursor = batch[batch.length - 1].cursor;
    }
  }

  private async conversions(
    runId: string,
    request: RescoreRequest,
    campaignIds: string[],
    policies: Map<string, FraudPolicy>,
    tally: RescoreTally,
    progress: { deliveriesQueued: number },
    actor: AuditActor,
  ): Promise<void> {
    const pluginCodes = this.plugins.codes;
    let cursor: RescoreCursor | null = null;
    for (;;) {
      this.checkStopping();
      const batch = await this.runs.conversions(campaignIds, request, cursor, this.options.batchSize ?? RESCORE_LIMITS.batchSize, this.options.reportCurrency);
      if (batch.length === 0) return;
      const planned: Array<{ action: Applied; write: RescoredConversionWrite; before: RescoreConversion }> = [];
      for (const conversion of batch) {
        const policy = policies.get(conversion.campaignId)!;
        const after = await this.reassess(conversion, policy, pluginCodes, tally);
        const before = { score: conversion.score, verdict: conversion.verdict, reasons: firedReasons(conversion) };
        const action = conversionRescoreAction(
          { ...before, holdState: conversion.holdState, forwarded: conversion.forwarded },
          after,
          request.sendStatusUpdates,
        );
        tally.conversion(action, {
          conversionId: conversion.id,
          campaignId: conversion.campaignId,
          payout: conversion.payout,
          currency: conversion.currency,
          reportPayout: conversion.reportPayout,
          before,
          after: { score: after.score, verdict: after.verdict, reasons: firedReasons(after) },
        });
        if (action === 'unchanged' || action === 'kept_decided') continue;
        const write: RescoredConversionWrite = {
          conversionId: conversion.id,
          score: after.score,
          verdict: after.verdict,
          signals: after.signals,
          notes: after.notes,
        };
        if (action === 'hold') write.hold = { until: new Date(Date.now() + policy.holdHours * 3_600_000), expiry: policy.holdExpiry };
        if (action === 'reject' || action === 'decline_forwarded') write.rejected = true;
        planned.push({ action, write, before: conversion });
      }
      if (request.dryRun || planned.length === 0) await this.runs.saveProgress(runId, { summary: tally.result(), deliveriesQueued: progress.deliveriesQueued });
      else {
        const deliveryIds = await this.db.transaction(async (tx) => {
          const ids = await this.apply(tx, runId, planned, actor);
          await this.runs.saveProgress(runId, { summary: tally.result(), deliveriesQueued: progress.deliveriesQueued + ids.length }, tx);
          return ids;
        });
        progress.deliveriesQueued += deliveryIds.length;
        if (deliveryIds.length) this.options.onDeliveries(deliveryIds);
      }
      cursor = batch[batch.length - 1].cursor;
    }
  }

  /** The conversion under the new policy: built-in signals measured again, stored windowed readings judged again, plugins asked again. */
  private async reassess(conversion: RescoreConversion, policy: FraudPolicy, pluginCodes: ReadonlySet<string>, tally: RescoreTally): Promise<FraudAssessment> {
    const facts = { click: { ...conversion.click }, at: conversion.createdAt };
    // Installed plugins answer again below; their stored readings are not carried over.
    const stored: SignalReading[] = storedReadings(conversion.signals).filter((s) => !pluginCodes.has(s.code));
    const after = this.scorer.reassessConversion(facts, policy, stored);
    if (this.plugins.empty) return after;
    const answer = await this.plugins.scoreConversion({
      id: conversion.id,
      campaignId: conversion.campaignId,
      at: conversion.createdAt,
      goal: conversion.goal,
      payout: conversion.payout,
      currency: conversion.currency,
      click: {
        id: conversion.click.id,
        campaignId: conversion.campaignId,
        at: conversion.click.at,
        ip: conversion.click.ip,
        userAgent: conversion.click.userAgent,
        subs: presentSubs(conversion.click.subs),
      },
    });
    for (const note of answer.notes) tally.note(note);
    return this.scorer.withReadings(after, answer.readings, policy, answer.notes);
  }

  /** One batch's writes: new assessments, then holds lifted (forwarded), rejections (declined, with a status update when chosen). Returns the deliveries made. */
  private async apply(
    tx: SqlExecutor,
    runId: string,
    planned: ReadonlyArray<{ action: Applied; write: RescoredConversionWrite }>,
    actor: AuditActor,
  ): Promise<string[]> {
    // Hold states and statuses move the report figures (held, rejected as fraud, declined): the counted
    // conversions' figures are taken out before the writes and put back after them, as a hold decision does.
    const { rows } = await tx.query<{ id: string }>(`SELECT id FROM conversions WHERE id = ANY($1::uuid[]) AND NOT is_test ORDER BY id`, [
      planned.map((p) => p.write.conversionId),
    ]);
    const counted = rows.map((r) => r.id);
    await ConversionRollups.retract(tx, counted);
    const written = new Set(
      await this.runs.writeConversions(
        tx,
        runId,
        planned.map((p) => p.write),
      ),
    );
    const of = (action: Applied) => planned.filter((p) => p.action === action && written.has(p.write.conversionId)).map((p) => p.write.conversionId);
    const by = `re-score ${runId}`;
    const released = await takeHolds(tx, of('release'), 'released', by);
    const deliveryIds = await forwardNews(tx, released, 'created');
    await decline(tx, of('reject'));
    const declinedForwarded = of('decline_forwarded');
    await decline(tx, declinedForwarded, true);
    deliveryIds.push(...(await forwardNews(tx, declinedForwarded, 'status_changed')));
    await ConversionRollups.add(tx, counted);
    const entries = [
      ...of('hold').map((id) => ({ id, action: 'fraud_rescore_hold', after: { holdState: 'held' } })),
      ...of('reject').map((id) => ({ id, action: 'fraud_rescore_reject', after: { holdState: 'rejected', status: 'declined' } })),
      ...released.map((id) => ({ id, action: 'fraud_rescore_release', after: { holdState: 'released' } })),
      ...declinedForwarded.map((id) => ({ id, action: 'fraud_rescore_reject', after: { holdState: 'rejected', status: 'declined', statusUpdate: true } })),
    ];
    if (entries.length)
      await this.options.audit(
        actor,
        entries.map((e) => ({ entityType: 'conversion', entityId: e.id, action: e.action, before: { runId }, after: e.after })),
        tx,
      );
    return deliveryIds;
  }

  private checkStopping(): void {
    if (this.options.stopping()) throw new Error('the tracker is stopping; the run is cut short (scores written so far stay)');
  }
}

function presentSubs(subs: Readonly<Record<string, string | null | undefined>>): Record<string, string> {
  const present: Record<string, string> = {};
  for (const [key, value] of Object.entries(subs)) if (value != null) present[key] = value;
  return present;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}
