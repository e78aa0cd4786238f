/**
 * Report arithmetic on exact decimals: money is carried as integer millionths (bigint, the codec in
 * money/decimal-amount.ts), so sums, differences and ratios never pass through a binary float. Figures
 * are rounded once, at the end, half away from zero to six decimals.
 */
import { fromMicros, MICROS_PER_UNIT, ratio, toMicros } from '../money/decimal-amount';

/** The summed figures of one report row, before the derived columns. Money in millionths of the report currency. */
export interface RowSums {
  clicks: bigint;
  uniqueClicks: bigint;
  clicksWithoutCost: bigint;
  approved: bigint;
  pending: bigint;
  declined: bigint;
  refunded: bigint;
  payout: bigint;
  approvedPayout: bigint;
  saleAmount: bigint;
  cost: bigint;
  unconvertedConversions: bigint;
}

/** One report row's figures as the API shows them: counts as numbers, money and ratios as decimal strings. */
export interface ReportFigures {
  clicks: number;
  uniqueClicks: number;
  clicksWithoutCost: number;
  conversions: number;
  approved: number;
  pending: number;
  declined: number;
  refunded: number;
  unconvertedConversions: number;
  payout: string;
  approvedPayout: string;
  saleAmount: string;
  cost: string;
  profit: string;
  /** profit / cost; null when cost is 0. */
  roi: string | null;
  /** conversions / clicks; null without clicks. */
  cr: string | null;
  /** payout / clicks; null without clicks. */
  epc: string | null;
  /** cost / conversions; null without conversions. */
  cpa: string | null;
}

export const EMPTY_SUMS: RowSums = {
  clicks: 0n,
  uniqueClicks: 0n,
  clicksWithoutCost: 0n,
  approved: 0n,
  pending: 0n,
  declined: 0n,
  refunded: 0n,
  payout: 0n,
  approvedPayout: 0n,
  saleAmount: 0n,
  cost: 0n,
  unconvertedConversions: 0n,
};

export function addSums(a: RowSums, b: RowSums): RowSums {
  const out = { ...a };
  for (const k of Object.keys(out) as (keyof RowSums)[]) out[k] = a[k] + b[k];
  return out;
}

/** The derived columns: conversions = approved + pending, profit = payout − cost, roi, cr, epc, cpa. */
export function reportFigures(s: RowSums): ReportFigures {
  const conversions = s.approved + s.pending;
  const profit = s.payout - s.cost;
  return {
    clicks: Number(s.clicks),
    uniqueClicks: Number(s.uniqueClicks),
    clicksWithoutCost: Number(s.clicksWithoutCost),
    conversions: Number(conversions),
    approved: Number(s.approved),
    pending: Number(s.pending),
    declined: Number(s.declined),
    refunded: Number(s.refunded),
    unconvertedConversions: Number(s.unconvertedConversions),
    payout: fromMicros(s.payout),
    approvedPayout: fromMicros(s.approvedPayout),
    saleAmount: fromMicros(s.saleAmount),
    cost: fromMicros(s.cost),
    profit: fromMicros(profit),
    roi: ratio(profit, s.cost),
    cr: ratio(conversions, s.clicks),
    epc: s.clicks === 0n ? null : ratio(s.payout, s.clicks * MICROS_PER_UNIT),
    cpa: conversions === 0n ? null : ratio(s.cost, conversions * MICROS_PER_UNIT),
  };
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
