/**
 * ISO 4217 codes come from the runtime's own ICU data (`Intl.supportedValuesOf`), so the list is
 * maintained by the platform rather than by hand.
 */
const KNOWN = new Set<string>(Intl.supportedValuesOf('currency'));

/** Returns the upper-cased ISO 4217 code, or `undefined` when the value is not one. */
export function parseCurrency(raw: string): string | undefined {
  const code = raw.trim().toUpperCase();
  return /^[A-Z]{3}$/.test(code) && KNOWN.has(code) ? code : undefined;
}
