import type { AuditRecord } from './lifecycle';

/** Who made a change, in words: the user's or key's label, else what kind of actor it was. */
export function actorName(actor: AuditRecord['actor']): string {
  if (actor.label) return actor.label;
  return actor.type === 'api_key' ? 'an API key' : actor.type === 'user' ? 'a user' : 'Postwire';
}

/** An audit record's before or after as fields (it is the item's view, or nothing for a create or a delete). */
export function asFields(value: unknown): Record<string, unknown> | null {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}
