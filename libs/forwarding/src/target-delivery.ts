import type { ClaimedDelivery } from '@postwire/core';

/**
 * Deliveries to a forwarding target plugin (Meta Conversions API and the like) are built when they are sent,
 * by the target, from the stored conversion, click and hashed personal data. The processor only needs this
 * port; the runtime in libs/runtime satisfies it with the plugin registry (forwarding does not import plugins).
 * The shapes mirror the plugin SDK's `TargetRequest`, `TargetAnswer` and `TargetVerdict`.
 */
export interface TargetAnswerRead {
  statusCode: number | null;
  headers: Record<string, string>;
  /** Up to {@link TARGET_ANSWER_BYTES} of the answer. */
  body: string | null;
  error: string | null;
}

export type TargetVerdictRead =
  { kind: 'delivered'; note?: string } | { kind: 'retry'; reason: string; afterMs?: number } | { kind: 'permanent'; reason: string; alert?: boolean };

export type PreparedTargetDelivery =
  | { kind: 'not_sent'; targetId: string; reason: string }
  /** The target failed before sending (an OAuth token exchange refused or unanswered); its verdict is applied as an answer's would be. */
  | { kind: 'failed'; targetId: string; verdict: Extract<TargetVerdictRead, { kind: 'retry' | 'permanent' }> }
  | {
      kind: 'send';
      targetId: string;
      event: string | null;
      request: { method: 'GET' | 'POST'; url: string; headers: Record<string, string>; body: string | null };
      read(answer: TargetAnswerRead): TargetVerdictRead;
    };

export interface TargetDeliveries {
  /** Builds the request of a claimed delivery whose source uses a target plugin, or says why nothing is sent. */
  prepare(delivery: ClaimedDelivery): Promise<PreparedTargetDelivery>;
}

/** How much of a target's answer is read (a platform's error list can be long); the attempt log keeps its first KB. */
export const TARGET_ANSWER_BYTES = 64 * 1024;
