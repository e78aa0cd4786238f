/**
 * The one exact-decimal codec of Postwire, used by the server and the console alike (this file imports
 * nothing, so the console's browser bundle can take it as it is).
 *
 * Money travels as a normalised decimal string ("12.5", "0", "1999.99") and is stored as Postgres
 * `numeric`; arithmetic is done on integer millionths (bigint), so no value ever passes through a
 * binary float. Six fraction digits are the one scale: they cover every ISO 4217 currency and
 * crypto-style micro payouts, and every figure the API sends has at most six.
 */
export type DecimalAmount = string;

/** The largest amount accepted (exclusive): 10^12 in any currency is beyond any real payout. */
const MAX_INTEGER_DIGITS = 12;
/** The one scale: amounts and figures carry at most six fraction digits. */
export const MAX_FRACTION_DIGITS = 6;
/** One unit in millionths: the factor between a decimal amount and its bigint form. */
export const MICROS_PER_UNIT = 10n ** BigInt(MAX_FRACTION_DIGITS);
const ONE = MICROS_PER_UNIT;

const AMOUNT = new RegExp(`^\\d{1,${MAX_INTEGER_DIGITS}}(?:\\.\\d{1,${MAX_FRACTION_DIGITS}})?$`);
const SIGNED_DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?$/;

export type AmountParseResult = { ok: true; value: DecimalAmount } | { ok: false; reason: string };

/**
 * Parses a non-negative decimal amount written with a dot (`10`, `10.5`, `0.000001`). Refuses
 * everything a float parser would quietly accept: `NaN`, `1e3`, `0x10`, `-5`, `Infinity`, commas,
 * blanks and more than six fraction digits.
 */
export function parseAmount(raw: string): AmountParseResult {
  const text = raw.trim();
  if (!AMOUNT.test(text)) {
    if (/^\d+(\.\d+)?$/.test(text)) {
      return { ok: false, reason: `must have at most ${MAX_INTEGER_DIGITS} integer and ${MAX_FRACTION_DIGITS} fraction digits` };
    }
    return { ok: false, reason: 'must be a non-negative decimal number such as 12.50' };
  }
  return { ok: true, value: fromMicros(toMicros(text)) };
}

/** Reads a decimal string of any precision ("12.5", "-0.1234567", "3") as millionths, rounding half away from zero. */
export function toMicros(text: string | number | bigint | null | undefined): bigint {
  if (text === null || text === undefined) return 0n;
  const s = String(text).trim();
  const match = SIGNED_DECIMAL.exec(s);
  if (!match || (match[2] === '' && (match[3] ?? '') === '')) throw new Error(`not a decimal: ${s.slice(0, 40)}`);
  const negative = match[1] === '-';
  const frac = match[3] ?? '';
  let value = BigInt((match[2] || '0') + frac.slice(0, MAX_FRACTION_DIGITS).padEnd(MAX_FRACTION_DIGITS, '0'));
  if (frac.length > MAX_FRACTION_DIGITS && Number(frac[MAX_FRACTION_DIGITS]) >= 5) value += 1n;
  return negative ? -value : value;
}

/** Writes millionths as a normalised decimal string: "12.5", "-3", "0". */
export function fromMicros(value: bigint): DecimalAmount {
  const negative = value < 0n;
  const abs = negative ? -value : value;
  const int = abs / ONE;
  const frac = (abs % ONE).toString().padStart(MAX_FRACTION_DIGITS, '0').replace(/0+$/, '');
  const text = frac ? `${int}.${frac}` : `${int}`;
  return negative && text !== '0' ? `-${text}` : text;
}

/** `numerator / denominator` (each an integer, e.g. millionths or counts) to six decimals, half away from zero; null when the denominator is 0. */
export function ratio(numerator: bigint, denominator: bigint): DecimalAmount | null {
  if (denominator === 0n) return null;
  const negative = numerator < 0n !== denominator < 0n && numerator !== 0n;
  const n = (numerator < 0n ? -numerator : numerator) * ONE;
  const d = denominator < 0n ? -denominator : denominator;
  const q = (n + d / 2n) / d;
  return fromMicros(negative ? -q : q);
}

/** Multiplies an amount by a percentage (0–100, up to 6 decimals) exactly, rounding half away from zero to 6 places. */
export function percentOf(amount: DecimalAmount, percent: DecimalAmount): DecimalAmount {
  // millionths × millionths is scaled by 10^12: dividing by one ONE and the 100 of "percent" gives millionths again.
  const product = toMicros(amount) * toMicros(percent);
  const divisor = ONE * 100n;
  return fromMicros((product + divisor / 2n) / divisor);
}

/** Compares two amounts exactly: negative, zero or positive like a sort comparator. */
export function compareAmounts(a: DecimalAmount, b: DecimalAmount): number {
  const diff = toMicros(a) - toMicros(b);
  return diff < 0n ? -1 : diff > 0n ? 1 : 0;
}

/**
 * Sums decimal strings exactly (the console's totals row). Missing values (null, undefined, "") count
 * as 0, and so does anything that is not a decimal: a totals row must not break on one odd cell.
 */
export function sumDecimals(values: readonly unknown[]): DecimalAmount {
  let total = 0n;
  for (const value of values) {
    if (value === null || value === undefined || value === '') continue;
    const text = String(value);
    if (!/^-?\d+(?:\.\d+)?$/.test(text)) continue;
    total += toMicros(text);
  }
  return fromMicros(total);
}
