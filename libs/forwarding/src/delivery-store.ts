import type { ClaimResult } from '@postwire/core';

/** One attempt as the attempt log keeps it: the URL with its secrets masked. */
export interface AttemptRecord {
  url: string;
  statusCode: number | null;
  latencyMs: number;
  responseSnippet: string | null;
  error: string | null;
  /** For a target plugin's delivery: what it built (kept on the delivery row, PII already hashed) and whether the operator must act. */
  target?: { id: string; event: string | null; request: { method: 'GET' | 'POST'; url: string; body: string | null } | null; alert: boolean };
}

/** What an attempt leaves the delivery as. */
export type AttemptConsequence = { status: 'delivered' } | { status: 'pending'; nextAttemptAt: Date } | { status: 'dead' } | { status: 'not_sent' };

/**
 * The outbox as the processor needs it. Declared here, where it is used, so forwarding does not
 * depend on persistence: `DeliveryRepository` satisfies it (as `ClickRepository` does `ClickSink`).
 */
export interface DeliveryStore {
  /**
   * Takes each delivery for one send, unless it is missing, settled or claimed by another worker;
   * the result at index i answers `ids[i]`, and an id given twice is claimed only once.
   */
  claimMany(ids: readonly string[], defaultTimeoutMs: number, marginMs: number): Promise<ClaimResult[]>;
  /** Logs each attempt and its consequence, releasing the claims, in one statement. */
  recordAttempts(items: ReadonlyArray<{ id: string; attempt: AttemptRecord; next: AttemptConsequence }>): Promise<void>;
  markDead(id: string, reason: string): Promise<void>;
}
