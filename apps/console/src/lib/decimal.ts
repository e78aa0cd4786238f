/** Exact sums of decimal strings (money never goes through a float). */
const SCALE = 8;

function toUnits(value: unknown): bigint {
  if (value === null || value === undefined || value === '') return 0n;
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(String(value));
  if (!match) return 0n;
  const [, sign, whole, frac = ''] = match;
  const units = BigInt(whole + frac.slice(0, SCALE).padEnd(SCALE, '0'));
  return sign ? -units : units;
}

export function sumDecimals(values: readonly unknown[]): string {
  const total = values.reduce<bigint>((sum, v) => sum + toUnits(v), 0n);
  const negative = total < 0n;
  const digits = (negative ? -total : total).toString().padStart(SCALE + 1, '0');
  const whole = digits.slice(0, -SCALE);
  const frac = digits.slice(-SCALE).replace(/0+$/, '');
  return `${negative ? '-' : ''}${whole}${frac ? `.${frac}` : ''}`;
}
