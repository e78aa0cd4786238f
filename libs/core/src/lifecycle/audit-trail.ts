/** Who made a change: a signed-in user, an API key, or Postwire itself (boot tasks). */
export interface AuditActor {
  type: 'user' | 'api_key' | 'system';
  /** The user's or key's id; null for the system. */
  id: string | null;
  /** What to show for it: the user's e-mail address, the key's label. */
  label: string | null;
}

/** One change as the audit log keeps it. */
export interface AuditEntry {
  actor: AuditActor;
  /** `network`, `offer`, `trafficSource`, `campaign`, `user`, `apiKey`. */
  entityType: string;
  entityId: string;
  /** `create`, `edit`, `pause`, `resume`, `archive`, `restore`, `delete`, `clone`, `tag`, `untag`, `disable`, `enable`, `revoke`. */
  action: string;
  /** The item as the API showed it before the change (null for a creation), secrets masked. */
  before: unknown;
  /** The item as the API shows it after the change (null for a deletion), secrets masked. */
  after: unknown;
}

/**
 * The one writer port of the audit log: every feature that changes something records it through this.
 * `executor` is the transaction of the change, so the record commits (or rolls back) with it.
 */
export interface AuditTrail<Executor = unknown> {
  record(entries: readonly AuditEntry[], executor?: Executor): Promise<void>;
}
