/** Where a delivery in the outbox stands: still owed, sent with a 2xx, given up, or not sent by its target (mapping, age, no click id). */
export const DELIVERY_STATUSES = ['pending', 'delivered', 'dead', 'not_sent'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export interface ClaimedDelivery {
  id: string;
  trafficSourceId: string;
  method: 'GET' | 'POST';
  url: string;
  body: string | null;
  headers: Record<string, string>;
  attempts: number;
  roundAttempts: number;
  sourceEnabled: boolean;
  /** The source's own settings; null means the deployment's default. */
  timeoutMs: number | null;
  retryScheduleMs: number[] | null;
  /** The source's active signing secrets, still sealed. */
  sealedSecrets: string[];
  /** The source's forwarding target: absent or `postback-url` for its URL template (the stored request), else a target plugin's id. */
  targetId?: string;
}

export type ClaimResult =
  | { kind: 'claimed'; delivery: ClaimedDelivery }
  | { kind: 'missing' }
  | { kind: 'settled'; status: DeliveryStatus }
  | { kind: 'busy'; retryInMs: number }
  /** Owed, but its traffic source or its conversion's network is paused: it waits, pending, for the resume. */
  | { kind: 'held'; reason: string };
