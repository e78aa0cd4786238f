/** One field that differs between two versions of an item. */
export interface FieldChange {
  field: string;
  before: unknown;
  after: unknown;
}

// Bookkeeping that changes on every write and says nothing a reader needs in a diff.
const BOOKKEEPING = new Set(['updatedAt', 'version', 'createdAt']);

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * The fields that differ between two versions of an item (an audit entry's before and after, or the version
 * an edit started from and the one saved since), nested objects compared whole, in the order of the keys.
 */
export function diffFields(before: Record<string, unknown> | null | undefined, after: Record<string, unknown> | null | undefined): FieldChange[] {
  const keys = [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])];
  return keys.filter((k) => !BOOKKEEPING.has(k) && !same(before?.[k], after?.[k])).map((field) => ({ field, before: before?.[field], after: after?.[field] }));
}

/** A field's value as one line of text: "—" for nothing, lists joined, objects as compact JSON. */
export function showValue(value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  if (Array.isArray(value)) return value.length ? value.map(showValue).join(', ') : '—';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
