import {
  decideConversion,
  deliveryValues,
  renderDelivery,
  wantsDelivery,
  type AttributionDecision,
  type ConversionEvent,
  type ConversionSnapshot,
  type PostbackOutcome,
  type RefusalReason,
  type StatusChange,
} from '@postwire/core';
import type { ClickContext } from './click-context';
import type { InboundConversion, PersonalDigests } from './inbound-conversion';

/** A postback that passed the pre-checks, with the click it names; `slot` is its caller's place in the batch. */
export interface PlannedPostback {
  slot: number;
  postbackId: string;
  input: InboundConversion;
  ctx: ClickContext;
  goal: string;
  /** The goal allows several conversions per click (told apart by txid), so there is no one-per-click key. */
  many: boolean;
}

/** A test postback never looks up, locks or changes a stored conversion: it always makes its own. */
export const isTestPostback = (p: PlannedPostback): boolean => p.input.test !== undefined;

/** A conversion as stored, locked by the batch's transaction before the plan is made. */
export interface StoredConversionState extends ConversionSnapshot {
  id: string;
  clickId: string;
  networkId: string;
  /** The goal when it allows one conversion per click, else null (the `conversions_click_single` key). */
  singleKey: string | null;
  revision: number;
}

/** A conversion the batch writes: its final state after every postback of the batch that touched it. */
export interface ConversionWrite {
  id: string;
  /** Inserted by this batch (else it existed and is updated). */
  created: boolean;
  ctx: ClickContext;
  singleKey: string | null;
  next: ConversionSnapshot;
  revision: number;
  /** A test conversion: stored without txid or one-per-click key, so it can never be the twin of a real one. */
  test: boolean;
}

export interface HistoryWrite {
  conversionId: string;
  change: StatusChange;
  postbackId: string;
  changedAt: Date;
}

export interface DeliveryWrite {
  id: string;
  conversionId: string;
  trafficSourceId: string;
  revision: number;
  event: string;
  method: string;
  url: string;
  body: string | null;
  headers: Record<string, string>;
  values: Record<string, unknown>;
  /** The delivery of a test conversion. */
  test: boolean;
  /** The campaign's retry schedule override, else null (the source's). */
  retryScheduleMs: number[] | null;
  /** SHA-256 digests of the personal data the network sent, for forwarding targets; never raw values. */
  personalHashes?: PersonalDigests;
}

export interface LogWrite {
  id: string;
  input: Omit<InboundConversion, 'clickId' | 'context'> & { clickId: string | null };
  outcome: PostbackOutcome;
  reason: string | null;
  conversionId: string | null;
  networkId: string | null;
  /** Set on a refused request's row (outcome `refused`): why, and what the sender asked and was answered. */
  refusal?: RefusalWrite;
}

/** What a refused request's log row keeps besides the common fields. */
export interface RefusalWrite {
  reasonCode: RefusalReason;
  httpStatus: number;
  method: string;
  path: string;
}

export interface PlannedResult {
  outcome: PostbackOutcome;
  conversionId?: string;
  reason?: string;
  deliveryIds: string[];
  postbackId: string;
}

export interface BatchPlan {
  /** In the order first touched; `created` ones are inserted, the others updated. */
  conversions: ConversionWrite[];
  history: HistoryWrite[];
  deliveries: DeliveryWrite[];
  log: LogWrite[];
  /** By slot. */
  results: Map<number, PlannedResult>;
}

type Changing = Extract<AttributionDecision, { outcome: 'accepted' | 'updated' }>;

const txidKey = (networkId: string, txid: string) => `${networkId}\u0000${txid}`;
const singleKeyOf = (clickId: string, singleKey: string) => `${clickId}\u0000${singleKey}`;

/**
 * Decides a batch of postbacks one after another, in arrival order, against the stored conversions
 * they name and against what earlier postbacks of the same batch already decided: a postback repeated
 * inside one batch is a `duplicate` of the conversion its twin created, exactly as if the two had
 * come in two transactions. Pure: the caller has locked the stored rows, and writes the plan set by set.
 */
export function planBatch(postbacks: readonly PlannedPostback[], stored: readonly StoredConversionState[], newId: () => string): BatchPlan {
  const byTxid = new Map<string, StoredConversionState>();
  const bySingle = new Map<string, StoredConversionState>();
  const index = (c: StoredConversionState) => {
    if (c.txid !== null) byTxid.set(txidKey(c.networkId, c.txid), c);
    if (c.singleKey !== null) bySingle.set(singleKeyOf(c.clickId, c.singleKey), c);
  };
  // Copies, so the caller's rows stay as they were read.
  stored.map((c) => ({ ...c })).forEach(index);

  const writes = new Map<string, ConversionWrite>();
  const plan: BatchPlan = { conversions: [], history: [], deliveries: [], log: [], results: new Map() };

  for (const p of postbacks) {
    const { input, ctx } = p;
    const test = isTestPostback(p);
    const singleKey = p.many || test ? null : p.goal;
    // As the single-postback lookup did: the conversion with this txid first, else this click's one for the goal.
    const existing = test
      ? undefined
      : ((input.txid !== undefined ? byTxid.get(txidKey(ctx.networkId, input.txid)) : undefined) ??
        (singleKey !== null ? bySingle.get(singleKeyOf(ctx.clickId, singleKey)) : undefined));
    const event: ConversionEvent = { ...input, goal: p.goal, clickId: ctx.clickId };
    const decision = decideConversion(existing, event, { defaultCurrency: ctx.defaultCurrency, defaultPayout: ctx.offerPayout });
    const logLine = (outcome: PostbackOutcome, reason: string | null, conversionId: string | null) =>
      plan.log.push({ id: p.postbackId, input: withoutContext(input), outcome, reason, conversionId, networkId: ctx.networkId });

    if (decision.outcome === 'rejected') {
      // Another click's conversion: nothing of it is touched, linked or echoed (not even its id).
      logLine('rejected', decision.reason, null);
      plan.results.set(p.slot, { outcome: 'rejected', reason: decision.reason, deliveryIds: [], postbackId: p.postbackId });
      continue;
    }
    if (decision.outcome === 'duplicate' || decision.outcome === 'ignored') {
      const reason = decision.outcome === 'ignored' ? decision.reason : undefined;
      logLine(decision.outcome, reason ?? null, existing?.id ?? null);
      plan.results.set(p.slot, { outcome: decision.outcome, reason, conversionId: existing?.id, deliveryIds: [], postbackId: p.postbackId });
      continue;
    }

    const forward = wantsDelivery(decision, ctx.source) && (input.test === undefined || input.test.forward);
    let state: StoredConversionState;
    if (!existing) {
      state = { ...decision.next, id: newId(), clickId: ctx.clickId, networkId: ctx.networkId, singleKey, revision: 1 };
      writes.set(state.id, { id: state.id, created: true, ctx, singleKey, next: decision.next, revision: 1, test });
      plan.conversions.push(writes.get(state.id)!);
    } else {
      state = existing;
      if (state.txid !== null && state.txid !== decision.next.txid) byTxid.delete(txidKey(state.networkId, state.txid));
      Object.assign(state, decision.next, { clickId: state.clickId, revision: state.revision + (forward ? 1 : 0) });
      let write = writes.get(state.id);
      if (!write) {
        write = { id: state.id, created: false, ctx, singleKey: state.singleKey, next: decision.next, revision: state.revision, test: false };
        writes.set(state.id, write);
        plan.conversions.push(write);
      }
      write.next = decision.next;
      write.revision = state.revision;
    }
    // A test conversion is not indexed: a later postback of the batch must not find it as its twin.
    if (!test) index(state);

    if (decision.history) plan.history.push({ conversionId: state.id, change: decision.history, postbackId: p.postbackId, changedAt: input.receivedAt });
    const deliveryIds = forward ? [addDelivery(plan, ctx, state, decision, newId, test, p.input.personalHashes)] : [];
    logLine(decision.outcome, null, state.id);
    plan.results.set(p.slot, { outcome: decision.outcome, conversionId: state.id, deliveryIds, postbackId: p.postbackId });
  }
  return plan;
}

function addDelivery(
  plan: BatchPlan,
  ctx: ClickContext,
  state: StoredConversionState,
  decision: Changing,
  newId: () => string,
  test: boolean,
  personalHashes: PersonalDigests | undefined,
): string {
  const values = deliveryValues(ctx, state.id, decision.next);
  const request = renderDelivery(ctx.source, values);
  const id = newId();
  plan.deliveries.push({
    id,
    conversionId: state.id,
    trafficSourceId: ctx.source.id,
    revision: state.revision,
    event: decision.changes[0] ?? 'created',
    method: request.method,
    url: request.url,
    body: request.body,
    headers: request.headers,
    values,
    test,
    retryScheduleMs: ctx.source.campaignRetryScheduleMs,
    personalHashes: personalHashes && Object.keys(personalHashes).length ? personalHashes : undefined,
  });
  return id;
}

/** The postback as its log line keeps it: without the click context a caller may have handed over. */
export function withoutContext(input: InboundConversion): LogWrite['input'] {
  const { context: _context, ...rest } = input;
  return rest;
}
