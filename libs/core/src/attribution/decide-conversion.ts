import { compareAmounts, parseAmount, type DecimalAmount } from '../money/decimal-amount';
import { parseCurrency } from '../money/currency';
import { statusFor } from './status-rules';
import { canTransition } from './transitions';
import type { AttributionDecision, AttributionPolicy, ChangeKind, ConversionEvent, ConversionSnapshot, StatusChange } from './types';

interface Defaults {
  currency: string;
  payout: DecimalAmount | null;
}

type Checked<T> = { ok: true; value: T } | { ok: false; reason: string };

/**
 * Decides what one incoming pixel hit or postback does to a conversion. Pure: the caller loads
 * `existing` (locked `FOR UPDATE`), calls this, and writes what it returns, so every rule lives
 * here and races are the storage layer's job alone.
 *
 * - No `existing`: the event creates the conversion (`accepted`).
 * - S2S on a pixel conversion: the S2S values replace the pixel's wholesale (`upgraded_to_s2s`),
 *   exactly as if the S2S event had created it; the pixel's status does not constrain this.
 * - Pixel on an S2S conversion: only marks `pixelSeen` (`pixel_confirmed`), never changes values.
 * - Same channel: a status move must be allowed by {@link canTransition}; values the event carries
 *   replace the stored ones; nothing different → `duplicate`.
 *
 * - A conversion of another click (matched by txid): `rejected` as `txid_conflict`, nothing changes.
 *
 * An event's `statusByCurrent` is resolved against `existing` first ({@link statusFor}).
 *
 * Malformed amounts or currencies, a different non-empty goal, a different txid once one is
 * stored, and forbidden status moves are `ignored` with a machine-readable reason.
 *
 * @throws RangeError when `policy` holds an invalid currency or payout (misconfiguration).
 */
export function decideConversion(existing: ConversionSnapshot | undefined, event: ConversionEvent, policy: AttributionPolicy): AttributionDecision {
  const defaults = checkPolicy(policy);
  const checked = normaliseEvent({ ...event, status: statusFor(existing?.status, event.status, event.statusByCurrent) });
  if (!checked.ok) return { outcome: 'ignored', reason: checked.reason };
  const ev = checked.value;

  if (existing === undefined) return create(ev, defaults);
  // A conversion is found by (network, txid) whatever its click. Another click's conversion is
  // never this event's to change: guessing an order number must not approve, inflate or refund
  // someone else's sale. The reason names no stored value.
  if (existing.clickId !== undefined && event.clickId !== undefined && existing.clickId !== event.clickId) {
    return { outcome: 'rejected', reason: 'txid_conflict' };
  }
  // A pixel is client-side and forgeable, so against S2S data it is a sighting, not a value.
  if (existing.source === 's2s' && ev.channel === 'pixel') return confirmPixel(existing);

  // The goal is part of the conversion's identity (storage keys on it), so a postback naming
  // another goal was matched by txid to the wrong conversion and must not rename it.
  if (ev.goal !== undefined && ev.goal !== existing.goal) {
    return { outcome: 'ignored', reason: `goal_mismatch:${existing.goal}->${ev.goal}` };
  }
  if (existing.source === 'pixel' && ev.channel === 's2s') return upgrade(existing, ev, defaults);
  return applySameChannel(existing, ev);
}

function create(ev: ConversionEvent, defaults: Defaults): AttributionDecision {
  const next = snapshotFrom(ev, defaults, ev.goal ?? '', ev.channel === 'pixel');
  return { outcome: 'accepted', next, changes: ['created'], history: historyOf(undefined, next, ev.channel) };
}

function confirmPixel(existing: ConversionSnapshot): AttributionDecision {
  if (existing.pixelSeen) return { outcome: 'duplicate' };
  return { outcome: 'updated', next: { ...existing, pixelSeen: true }, changes: ['pixel_confirmed'] };
}

function upgrade(existing: ConversionSnapshot, ev: ConversionEvent, defaults: Defaults): AttributionDecision {
  // Built exactly like a creation so the result never mixes pixel and S2S values and does not
  // depend on whether a pixel came first (the property test relies on this).
  const next = snapshotFrom(ev, defaults, existing.goal, true);
  const moved = changedFields(existing, next);
  return {
    outcome: 'updated',
    next,
    changes: ['upgraded_to_s2s', ...moved],
    ...(movesHistory(moved) ? { history: historyOf(existing, next, ev.channel) } : {}),
  };
}

function applySameChannel(existing: ConversionSnapshot, ev: ConversionEvent): AttributionDecision {
  // Once a txid is stored it names the sale; under "one conversion per click" a second txid for
  // the same click and goal is a second sale that this goal does not count, not a correction.
  if (ev.txid !== undefined && existing.txid !== null && ev.txid !== existing.txid) {
    // The stored txid is not echoed: the reason goes back to whoever sent the postback.
    return { outcome: 'ignored', reason: 'txid_mismatch' };
  }
  const status = ev.status ?? existing.status;
  if (status !== existing.status && !canTransition(existing.status, status)) {
    return { outcome: 'ignored', reason: `transition_not_allowed:${existing.status}->${status}` };
  }
  const next: ConversionSnapshot = {
    ...existing,
    status,
    payout: keepIfEqual(ev.payout, existing.payout),
    revenue: keepIfEqual(ev.revenue, existing.revenue),
    currency: ev.currency ?? existing.currency,
    txid: ev.txid ?? existing.txid,
  };
  const moved = changedFields(existing, next);
  if (moved.length === 0) return { outcome: 'duplicate' };
  const changes: ChangeKind[] = ev.channel === 'pixel' ? ['pixel_values_changed', ...moved] : moved;
  return {
    outcome: 'updated',
    next,
    changes,
    ...(movesHistory(moved) ? { history: historyOf(existing, next, ev.channel) } : {}),
  };
}

function snapshotFrom(ev: ConversionEvent, defaults: Defaults, goal: string, pixelSeen: boolean): ConversionSnapshot {
  return {
    // A postback with no status is how most networks report a plain sale.
    status: ev.status ?? 'approved',
    payout: ev.payout ?? defaults.payout,
    revenue: ev.revenue ?? null,
    currency: ev.currency ?? defaults.currency,
    txid: ev.txid ?? null,
    goal,
    source: ev.channel,
    pixelSeen,
  };
}

/** Keeps the stored text when the amount is numerically equal ("10.000000" from numeric vs "10"). */
function keepIfEqual(incoming: DecimalAmount | undefined, current: DecimalAmount | null): DecimalAmount | null {
  if (incoming === undefined) return current;
  return sameAmount(incoming, current) ? current : incoming;
}

function sameAmount(a: DecimalAmount | null, b: DecimalAmount | null): boolean {
  if (a === null || b === null) return a === b;
  return compareAmounts(a, b) === 0;
}

function changedFields(before: ConversionSnapshot, after: ConversionSnapshot): ChangeKind[] {
  const kinds: ChangeKind[] = [];
  if (before.status !== after.status) kinds.push('status_changed');
  if (!sameAmount(before.payout, after.payout)) kinds.push('payout_changed');
  if (before.currency !== after.currency) kinds.push('currency_changed');
  if (!sameAmount(before.revenue, after.revenue)) kinds.push('revenue_changed');
  if (before.txid !== after.txid) kinds.push('txid_changed');
  return kinds;
}

/** History tracks what the network owes: status, payout and the currency that payout is in. */
function movesHistory(kinds: readonly ChangeKind[]): boolean {
  return kinds.includes('status_changed') || kinds.includes('payout_changed') || kinds.includes('currency_changed');
}

function historyOf(before: ConversionSnapshot | undefined, after: ConversionSnapshot, channel: ConversionEvent['channel']): StatusChange {
  return {
    from: before?.status ?? null,
    to: after.status,
    payoutBefore: before?.payout ?? null,
    payoutAfter: after.payout,
    currencyBefore: before?.currency ?? null,
    currencyAfter: after.currency,
    channel,
  };
}

function normaliseEvent(event: ConversionEvent): Checked<ConversionEvent> {
  const ev: ConversionEvent = { channel: event.channel };
  if (event.status !== undefined) ev.status = event.status;
  for (const field of ['payout', 'revenue'] as const) {
    const raw = event[field];
    if (raw === undefined) continue;
    const parsed = parseAmount(raw);
    if (!parsed.ok) return { ok: false, reason: `invalid_${field}` };
    ev[field] = parsed.value;
  }
  if (event.currency !== undefined) {
    const code = parseCurrency(event.currency);
    if (code === undefined) return { ok: false, reason: 'invalid_currency' };
    ev.currency = code;
  }
  // Networks send blanks for "no value"; treating '' as a value would create phantom txids and
  // goals. No trimming: the storage layer keys on these strings exactly as the adapter gave them.
  if (event.txid) ev.txid = event.txid;
  if (event.goal) ev.goal = event.goal;
  return { ok: true, value: ev };
}

function checkPolicy(policy: AttributionPolicy): Defaults {
  const currency = parseCurrency(policy.defaultCurrency);
  if (currency === undefined) throw new RangeError(`attribution policy: invalid currency ${policy.defaultCurrency}`);
  if (policy.defaultPayout === undefined || policy.defaultPayout === null) return { currency, payout: null };
  const payout = parseAmount(policy.defaultPayout);
  if (!payout.ok) throw new RangeError(`attribution policy: invalid default payout (${payout.reason})`);
  return { currency, payout: payout.value };
}
