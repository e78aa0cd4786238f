/** What the postback log shows in place of a value an adapter marked as personal data. */
export const PERSONAL_DATA_REMOVED = '[personal data removed]';

/**
 * The request's loggable parameters with the values of the fields matched by `patterns` replaced
 * (see `NetworkAdapter.personalData`): top-level query fields, and the fields of a parsed `body` object.
 * Returns the same object when nothing matches.
 */
export function withoutPersonalData(params: Record<string, unknown>, patterns: readonly RegExp[] | undefined): Record<string, unknown> {
  if (!patterns?.length) return params;
  const personal = (name: string) => patterns.some((p) => p.test(name));
  const scrub = (fields: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(fields).map(([name, value]) => [name, personal(name) && value !== '' && value != null ? PERSONAL_DATA_REMOVED : value]));
  const out = scrub(params);
  const body = params.body;
  if (body && typeof body === 'object' && !Array.isArray(body)) out.body = scrub(body as Record<string, unknown>);
  return out;
}
