import type { FraudAssessment, FraudVerdict } from '../fraud-signal';
import { firedReasons } from '../fraud-signal';

/** A conversion's stored assessment, as re-scoring finds it. */
export interface StoredConversionFraud {
  score: number;
  verdict: FraudVerdict;
  reasons: readonly string[];
  holdState: 'held' | 'released' | 'rejected' | null;
  /** A traffic source was already told about it (it has deliveries). */
  forwarded: boolean;
}

/**
 * What re-scoring does to one conversion:
 * - `unchanged`: same score, verdict and reasons;
 * - `rescored`: new score/verdict/reasons stored, nothing else moves;
 * - `hold`: newly held (it was never forwarded), reviewed like any hold;
 * - `reject`: newly rejected (never forwarded): stored declined;
 * - `release`: its hold is lifted by the new policy: forwarded now, once;
 * - `decline_forwarded`: newly rejected although forwarded, and the operator chose status updates: declined
 *   through the status-change path, which tells the source;
 * - `kept_forwarded`: the new policy would hold or reject it, but it was already forwarded: only its score moves;
 * - `kept_decided`: an operator (or the intake's reject, or hold expiry) already decided it: left alone.
 */
export type ConversionRescoreAction = 'unchanged' | 'rescored' | 'hold' | 'reject' | 'release' | 'decline_forwarded' | 'kept_forwarded' | 'kept_decided';

const SUSPECT: ReadonlySet<FraudVerdict> = new Set(['flag', 'hold', 'reject', 'dont_forward']);

/** Decides what re-scoring does with a conversion, from what is stored and the new assessment. Pure. */
export function conversionRescoreAction(before: StoredConversionFraud, after: FraudAssessment, sendStatusUpdates: boolean): ConversionRescoreAction {
  if (before.holdState === 'released' || before.holdState === 'rejected') return 'kept_decided';
  // A run applied without status updates stored the reject verdict; a later one with them still declines it.
  if (after.verdict === 'reject' && before.forwarded && before.holdState === null && sendStatusUpdates) return 'decline_forwarded';
  if (sameAssessment(before, after)) return 'unchanged';
  const held = before.holdState === 'held';
  switch (after.verdict) {
    case 'reject':
      if (held || !before.forwarded) return 'reject';
      return sendStatusUpdates ? 'decline_forwarded' : 'kept_forwarded';
    case 'hold':
      if (held) return 'rescored';
      return before.forwarded ? 'kept_forwarded' : 'hold';
    case 'allow':
    case 'flag':
      return held ? 'release' : 'rescored';
    case 'dont_forward':
      // A held conversion stays held for a person to decide: "don't forward" is no reason to release it.
      return 'rescored';
  }
}

/** Whether a verdict marks the conversion as suspect (anything but `allow`). */
export function isSuspect(verdict: FraudVerdict): boolean {
  return SUSPECT.has(verdict);
}

function sameAssessment(before: StoredConversionFraud, after: FraudAssessment): boolean {
  if (before.score !== after.score || before.verdict !== after.verdict) return false;
  const now = firedReasons(after);
  return now.length === before.reasons.length && now.every((code, i) => code === before.reasons[i]);
}
