/**
 * Money travels through Postwire as a normalised decimal string ("12.5", "0", "1999.99") and is
 * stored as Postgres `numeric`, so no value ever passes through a binary float.
 */
export type DecimalAmount = string;

/** The largest amount accepted (exclusive): 10^12 in any currency is beyond any real payout. */
const MAX_INTEGER_DIGITS = 12;
/** Six fraction digits cover every ISO 4217 currency and crypto-style micro payouts. */
export const MAX_FRACTION_DIGITS = 6;

const DECIMAL = /^(\d{1,12})(?:\.(\d{1,6}))?$/;

export type AmountParseResult = { ok: true; value: DecimalAmount } | { ok: false; reason: string };

/**
 * Parses a non-negative decimal amount written with a dot (`10`, `10.5`, `0.000001`). Refuses
 * everything a float parser would quietly accept: `NaN`, `1e3`, `0x10`, `-5`, `Infinity`, commas,
 * blanks and more than six fraction digits.
 */
export function parseAmount(raw: string): AmountParseResult {
  const text = raw.trim();
  const match = DECIMAL.exec(text);
  if (!match) {
    if (/^\d+(\.\d+)?$/.test(text)) {
      return { ok: false, reason: `must have at most ${MAX_INTEGER_DIGITS} integer and ${MAX_FRACTION_DIGITS} fraction digits` };
    }
    return { ok: false, reason: 'must be a non-negative decimal number such as 12.50' };
  }
  return { ok: true, value: normaliseAmount(match[1], match[2] ?? '') };
}

function normaliseAmount(integer: string, fraction: string): DecimalAmount {
  const int = integer.replace(/^0+(?=\d)/, '');
  const frac = fraction.replace(/0+$/, '');
  return frac ? `${int}.${frac}` : int;
}

/** Multiplies an amount by a percentage (0–100, up to 6 decimals) exactly, rounding half up to 6 places. */
export function percentOf(amount: DecimalAmount, percent: DecimalAmount): DecimalAmount {
  const scale = 10n ** BigInt(MAX_FRACTION_DIGITS);
  const a = toScaled(amount);
  const p = toScaled(percent);
  const product = a * p; // scaled by 10^12
  const divisor = scale * 100n;
  const rounded = (product + divisor / 2n) / divisor;
  return fromScaled(rounded);
}

/** Compares two amounts exactly: negative, zero or positive like a sort comparator. */
export function compareAmounts(a: DecimalAmount, b: DecimalAmount): number {
  const diff = toScaled(a) - toScaled(b);
  return diff < 0n ? -1 : diff > 0n ? 1 : 0;
}

function toScaled(amount: DecimalAmount): bigint {
  const [int, frac = ''] = amount.split('.');
  return BigInt(int + frac.padEnd(MAX_FRACTION_DIGITS, '0'));
}

function fromScaled(value: bigint): DecimalAmount {
  const text = value.toString().padStart(MAX_FRACTION_DIGITS + 1, '0');
  const int = text.slice(0, -MAX_FRACTION_DIGITS);
  const frac = text.slice(-MAX_FRACTION_DIGITS);
  return normaliseAmount(int, frac);
}
