/**
 * Report arithmetic on exact decimals: money is carried as integer millionths (bigint, the codec in
 * money/decimal-amount.ts), so sums, differences and ratios never pass through a binary float. Figures
 * are rounded once, at the end, half away from zero to six decimals.
 */
import { fromMicros, toMicros } from '../money/decimal-amount';
import { SUM_SQL, type RowSums } from './report-columns';

export { reportFigures, type ReportFigures, type RowSums } from './report-columns';

/** Every sum at zero (one per {@link SUM_SQL} entry). */
export const EMPTY_SUMS: RowSums = Object.fromEntries(Object.keys(SUM_SQL).map((k) => [k, 0n])) as unknown as RowSums;

export function addSums(a: RowSums, b: RowSums): RowSums {
  const out = { ...a };
  for (const k of Object.keys(out) as (keyof RowSums)[]) out[k] = a[k] + b[k];
  return out;
}

/** Compares two figure values for sorting: numbers and decimal strings exactly, null last. */
export function compareFigure(a: string | number | null, b: string | number | null): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const d = toMicros(a) - toMicros(b);
  return d < 0n ? -1 : d > 0n ? 1 : 0;
}

/**
 * A cost of `amount` spread evenly over `clicks` clicks in whole millionths: every click costs
 * `perClick`, and the first click (by id) also carries the `remainder`, so the clicks sum to
 * exactly `amount`.
 */
export function spreadCost(amount: string, clicks: number): { perClick: string; remainder: string } {
  if (!Number.isInteger(clicks) || clicks <= 0) throw new Error('spreadCost needs at least one click');
  const total = toMicros(amount);
  const n = BigInt(clicks);
  const perClick = total / n;
  return { perClick: fromMicros(perClick), remainder: fromMicros(total - perClick * n) };
}
