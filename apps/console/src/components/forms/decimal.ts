/** What a typed decimal reads as: the number in the API's form ("12.50"), or why it cannot be read for sure. */
export type DecimalReading = { ok: true; value: string } | { ok: false; reason: string };

// Spaces (also the no-break and thin spaces some keyboards and spreadsheets put) only group digits.
const GROUPING_SPACES = /[\s\u00a0\u202f]/g;

/**
 * Reads a decimal as people type it, with a point or a comma as the decimal mark, and answers it in the
 * API's form ("12,50" → "12.50"). Where two readings are possible it does not guess: "1.234,5" could be
 * 1234.5 or a typo, "1,234" could be 1234 (thousands) or 1.234 (a leading 0, as in "0,125", can only be decimals), so it says so and the user writes it plainly.
 * An empty text reads as "" (the field left empty).
 */
export function readDecimal(text: string): DecimalReading {
  const typed = text.replace(GROUPING_SPACES, '');
  if (typed === '') return { ok: true, value: '' };
  if (!/^-?[\d.,]+$/.test(typed)) return { ok: false, reason: 'must be a number such as 12.50' };
  const commas = typed.split(',').length - 1;
  const points = typed.split('.').length - 1;
  if (commas && points)
    return { ok: false, reason: 'has both a comma and a point, so it could be read two ways: write it without thousands separators, such as 1234.50' };
  if (commas > 1 || points > 1) return { ok: false, reason: 'has more than one decimal mark: write it without thousands separators, such as 1234.50' };
  if (commas === 1 && /^-?[1-9]\d{0,2},\d{3}$/.test(typed))
    return { ok: false, reason: `could be read two ways (thousands or decimals): write ${typed.replace(',', '')} or ${typed.replace(',', '.')}` };
  const value = typed.replace(',', '.');
  if (!/^-?\d+(\.\d+)?$/.test(value)) return { ok: false, reason: 'must be a number such as 12.50' };
  return { ok: true, value };
}
