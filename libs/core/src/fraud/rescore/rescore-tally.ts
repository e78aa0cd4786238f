import { fromMicros, toMicros } from '../../money/decimal-amount';
import type { FraudVerdict } from '../fraud-signal';
import type { ConversionRescoreAction } from './conversion-rescore';
import { isSuspect } from './conversion-rescore';
import { RESCORE_LIMITS } from './rescore-limits';

/** A score, verdict and fired reasons, before or after. */
export interface RescoreSide {
  score: number;
  verdict: FraudVerdict;
  reasons: string[];
}

/** One changed conversion, as the sample shows it. */
export interface RescoreSample {
  conversionId: string;
  campaignId: string;
  action: ConversionRescoreAction;
  payout: string | null;
  currency: string;
  before: RescoreSide;
  after: RescoreSide;
}

/** Payout moved by the run, per kind of change: in the report currency, exact decimals. */
export interface RescorePayout {
  currency: string;
  newlyHeld: string;
  newlyRejected: string;
  released: string;
  declinedWithStatusUpdate: string;
  /** Payout of moved conversions with no usable rate into the report currency, per currency (left out of the sums above). */
  unconverted: Array<{ currency: string; amount: string }>;
}

/** What a run found (dry run) or did (applied), so far or in all. */
export interface RescoreSummary {
  clicks: { scanned: number; changed: number; newlySuspicious: number; noLongerSuspicious: number };
  conversions: {
    scanned: number;
    /** Score, verdict or reasons differ. */
    changed: number;
    /** Was `allow`, now suspect (flag or worse). */
    newlyFlagged: number;
    /** Was suspect, now `allow`: released from its flag. */
    unflagged: number;
    newlyHeld: number;
    newlyRejected: number;
    /** Held, and the new policy no longer holds it: forwarded now. */
    released: number;
    /** Newly rejected although forwarded, declined with a status update (only with `sendStatusUpdates`). */
    declinedWithStatusUpdate: number;
    /** Would be held or rejected but was already forwarded: only its score and reasons change. */
    keptForwarded: number;
    /** Already released or rejected (by an operator, the intake, or hold expiry): left alone. */
    keptDecided: number;
  };
  payout: RescorePayout;
  /** Up to {@link RESCORE_LIMITS.sampleSize} changed conversions, the first found. */
  sample: RescoreSample[];
  /** Notes of scorer plugins that did not answer (`scorer x timed out after 2000 ms`), each once. */
  notes: string[];
}

type MovedKind = 'newlyHeld' | 'newlyRejected' | 'released' | 'declinedWithStatusUpdate';

const MOVED: Partial<Record<ConversionRescoreAction, MovedKind>> = {
  hold: 'newlyHeld',
  reject: 'newlyRejected',
  release: 'released',
  decline_forwarded: 'declinedWithStatusUpdate',
};

const MAX_NOTES = 20;

/** Adds up a run's findings batch by batch: counts, exact payout (micro-units), a bounded sample. */
export class RescoreTally {
  private readonly summary: RescoreSummary;
  private readonly moved: Record<MovedKind, bigint> = { newlyHeld: 0n, newlyRejected: 0n, released: 0n, declinedWithStatusUpdate: 0n };
  private readonly unconverted = new Map<string, bigint>();

  constructor(
    reportCurrency: string,
    private readonly sampleSize: number = RESCORE_LIMITS.sampleSize,
  ) {
    this.summary = {
      clicks: { scanned: 0, changed: 0, newlySuspicious: 0, noLongerSuspicious: 0 },
      conversions: {
        scanned: 0,
        changed: 0,
        newlyFlagged: 0,
        unflagged: 0,
        newlyHeld: 0,
        newlyRejected: 0,
        released: 0,
        declinedWithStatusUpdate: 0,
        keptForwarded: 0,
        keptDecided: 0,
      },
      payout: { currency: reportCurrency, newlyHeld: '0', newlyRejected: '0', released: '0', declinedWithStatusUpdate: '0', unconverted: [] },
      sample: [],
      notes: [],
    };
  }

  /** A click scored again: `suspicious` is the score at or above its policy's flag score, before and after. */
  click(changed: boolean, before: boolean, after: boolean): void {
    const c = this.summary.clicks;
    c.scanned++;
    if (!changed) return;
    c.changed++;
    if (!before && after) c.newlySuspicious++;
    if (before && !after) c.noLongerSuspicious++;
  }

  /** A conversion scored again, with what re-scoring does to it. `reportPayout`: its payout in the report currency, null without a rate. */
  conversion(action: ConversionRescoreAction, change: Omit<RescoreSample, 'action'> & { reportPayout: string | null }): void {
    const c = this.summary.conversions;
    c.scanned++;
    if (action === 'kept_decided') c.keptDecided++;
    if (action === 'unchanged' || action === 'kept_decided') return;
    c.changed++;
    if (!isSuspect(change.before.verdict) && isSuspect(change.after.verdict)) c.newlyFlagged++;
    if (isSuspect(change.before.verdict) && !isSuspect(change.after.verdict)) c.unflagged++;
    if (action === 'kept_forwarded') c.keptForwarded++;
    const kind = MOVED[action];
    if (kind) {
      c[kind]++;
      if (change.payout !== null) {
        if (change.reportPayout !== null) this.moved[kind] += toMicros(change.reportPayout);
        else this.unconverted.set(change.currency, (this.unconverted.get(change.currency) ?? 0n) + toMicros(change.payout));
      }
    }
    if (this.summary.sample.length < this.sampleSize) {
      const { reportPayout: _reportPayout, ...shown } = change;
      this.summary.sample.push({ ...shown, action });
    }
  }

  note(text: string): void {
    if (this.summary.notes.length < MAX_NOTES && !this.summary.notes.includes(text)) this.summary.notes.push(text);
  }

  /** The summary so far (a copy: safe to store while the run goes on). */
  result(): RescoreSummary {
    const payout: RescorePayout = {
      currency: this.summary.payout.currency,
      newlyHeld: fromMicros(this.moved.newlyHeld),
      newlyRejected: fromMicros(this.moved.newlyRejected),
      released: fromMicros(this.moved.released),
      declinedWithStatusUpdate: fromMicros(this.moved.declinedWithStatusUpdate),
      unconverted: [...this.unconverted].sort(([a], [b]) => a.localeCompare(b)).map(([currency, amount]) => ({ currency, amount: fromMicros(amount) })),
    };
    return structuredClone({ ...this.summary, payout });
  }
}
