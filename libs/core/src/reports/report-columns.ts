/**
 * The report columns, one declaration each: what the database sums, how the exact figure is made
 * from the sums, the SQL the database sorts by, and how the console shows it. The request schema
 * (sort and column names), the SQL (stats.repository.ts), the math (report-math.ts), the CSV header
 * and the console's column list are all read from here, so a new column is one entry here plus its
 * test (report-columns.spec.ts checks every place).
 *
 * This file imports only the decimal codec, because the console imports it too (as
 * `@postwire/core/report-columns`) to list the columns the same way the server computes them.
 */
import { fromMicros, MICROS_PER_UNIT, ratio, toMicros } from '../money/decimal-amount';

/**
 * What the database sums per group: each a summed column of the rollups (snake_case in SQL,
 * {@link SUM_SQL}). Money in millionths of the report currency.
 */
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
  declinedPayout: bigint;
  refundedPayout: bigint;
  saleAmount: bigint;
  cost: bigint;
  unconvertedConversions: bigint;
  /** Clicks whose fraud score reached their policy's flag score when they were scored (docs/fraud.md). */
  suspiciousClicks: bigint;
  /** Clicks on which `bot_user_agent` or `headless_browser` fired. */
  botClicks: bigint;
  /** Conversions held for review now (not yet released, rejected or expired). */
  heldConversions: bigint;
  /** Conversions rejected as fraud: by the policy at intake, by an operator, or by an expired hold. */
  fraudRejected: bigint;
}

/** The SQL name of each summed figure, and whether it is money (numeric, rounded to six decimals once summed) or a count. */
export const SUM_SQL: Record<keyof RowSums, { sql: string; money: boolean }> = {
  clicks: { sql: 'clicks', money: false },
  uniqueClicks: { sql: 'unique_clicks', money: false },
  clicksWithoutCost: { sql: 'clicks_without_cost', money: false },
  approved: { sql: 'approved', money: false },
  pending: { sql: 'pending', money: false },
  declined: { sql: 'declined', money: false },
  refunded: { sql: 'refunded', money: false },
  payout: { sql: 'payout', money: true },
  approvedPayout: { sql: 'approved_payout', money: true },
  declinedPayout: { sql: 'declined_payout', money: true },
  refundedPayout: { sql: 'refunded_payout', money: true },
  saleAmount: { sql: 'sale_amount', money: true },
  cost: { sql: 'cost', money: true },
  unconvertedConversions: { sql: 'unconverted', money: false },
  suspiciousClicks: { sql: 'suspicious_clicks', money: false },
  botClicks: { sql: 'bot_clicks', money: false },
  heldConversions: { sql: 'held', money: false },
  fraudRejected: { sql: 'fraud_rejected', money: false },
};

/**
 * The fraud sums, by the rows they are counted from: each a condition in SQL over one click (alias
 * `c`, the clicks table's columns) or one conversion's assessment (alias `f`, conversion_fraud, LEFT
 * JOINed: null when not scored). Every rollup that sums clicks or conversions counts these from here
 * (the click batch, the conversion writes, the rebuild, the raw report path), in {@link SUM_SQL}'s columns.
 */
export const FRAUD_CLICK_SUMS = {
  suspiciousClicks: (c: string) => `coalesce(${c}.fraud_suspicious, false)`,
  botClicks: (c: string) => `coalesce(${c}.fraud_reasons && ARRAY['bot_user_agent', 'headless_browser']::text[], false)`,
} as const satisfies Partial<Record<keyof RowSums, (alias: string) => string>>;
export const FRAUD_CONVERSION_SUMS = {
  heldConversions: (f: string) => `coalesce(${f}.hold_state = 'held', false)`,
  fraudRejected: (f: string) => `coalesce(${f}.hold_state = 'rejected', false)`,
} as const satisfies Partial<Record<keyof RowSums, (alias: string) => string>>;

export type ColumnKind = 'count' | 'money' | 'ratio';

/** One report column. */
export interface ReportColumnDef<V extends number | string | null = number | string | null> {
  /** The console's header. */
  label: string;
  /** count: a JSON number; money: an exact decimal string in the report currency; ratio: a decimal string, a share (0.25 = 25 %). */
  kind: ColumnKind;
  /** Null when the figure has no denominator (no clicks, no cost, no conversions). */
  nullable: boolean;
  /** Cost, profit or ROI: hidden from accounts that may not see profit. */
  profit: boolean;
  /** Offered in the console's column chooser. */
  console: boolean;
  /**
   * The figure in SQL over the group's sums (the {@link SUM_SQL} names, money already rounded to six
   * decimals), rounded as {@link value} rounds it, so the database sorts by exactly the figure shown.
   */
  sql: string;
  /** The exact figure from the sums. */
  value: (s: RowSums) => V;
}

const count = (label: string, sum: keyof RowSums, console = true): ReportColumnDef<number> => ({
  label,
  kind: 'count',
  nullable: false,
  profit: false,
  console,
  sql: SUM_SQL[sum].sql,
  value: (s) => Number(s[sum]),
});
const money = (label: string, sum: keyof RowSums, profit = false, console = true): ReportColumnDef<string> => ({
  label,
  kind: 'money',
  nullable: false,
  profit,
  console,
  sql: SUM_SQL[sum].sql,
  value: (s) => fromMicros(s[sum]),
});
/** SQL for a/b rounded half away from zero to six decimals (as `ratio` does), null when b is 0. */
const ratioSql = (a: string, b: string) => `round((${a})::numeric / nullif(${b}, 0), 6)`;

export const REPORT_COLUMN_DEFS = {
  clicks: count('Clicks', 'clicks'),
  uniqueClicks: count('Unique clicks', 'uniqueClicks'),
  clicksWithoutCost: count('Clicks without cost', 'clicksWithoutCost', false),
  conversions: {
    label: 'Conversions',
    kind: 'count',
    nullable: false,
    profit: false,
    console: true,
    sql: '(approved + pending)',
    value: (s) => Number(s.approved + s.pending),
  } satisfies ReportColumnDef<number>,
  approved: count('Approved', 'approved'),
  pending: count('Pending', 'pending'),
  declined: count('Declined', 'declined'),
  refunded: count('Refunded', 'refunded'),
  unconvertedConversions: count('Unconverted conversions', 'unconvertedConversions', false),
  payout: money('Payout', 'payout'),
  approvedPayout: money('Approved payout', 'approvedPayout'),
  saleAmount: money('Sale amount', 'saleAmount'),
  cost: money('Cost', 'cost', true),
  profit: {
    label: 'Profit',
    kind: 'money',
    nullable: false,
    profit: true,
    console: true,
    sql: '(payout - cost)',
    value: (s) => fromMicros(s.payout - s.cost),
  } satisfies ReportColumnDef<string>,
  roi: {
    label: 'ROI',
    kind: 'ratio',
    nullable: true,
    profit: true,
    console: true,
    sql: ratioSql('payout - cost', 'cost'),
    value: (s) => ratio(s.payout - s.cost, s.cost),
  } satisfies ReportColumnDef<string | null>,
  cr: {
    label: 'CR',
    kind: 'ratio',
    nullable: true,
    profit: false,
    console: true,
    sql: ratioSql('approved + pending', 'clicks'),
    value: (s) => ratio(s.approved + s.pending, s.clicks),
  } satisfies ReportColumnDef<string | null>,
  epc: {
    label: 'EPC',
    kind: 'money',
    nullable: true,
    profit: false,
    console: true,
    sql: ratioSql('payout', 'clicks'),
    value: (s) => (s.clicks === 0n ? null : ratio(s.payout, s.clicks * MICROS_PER_UNIT)),
  } satisfies ReportColumnDef<string | null>,
  cpa: {
    label: 'CPA',
    kind: 'money',
    nullable: true,
    profit: true,
    console: true,
    sql: ratioSql('cost', 'approved + pending'),
    value: (s) => (s.approved + s.pending === 0n ? null : ratio(s.cost, (s.approved + s.pending) * MICROS_PER_UNIT)),
  } satisfies ReportColumnDef<string | null>,
  // The amounts per status, next to approvedPayout: what pending conversions would pay, and what declined
  // and refunded ones carried (left out of payout, profit and every other sum).
  pendingPayout: {
    label: 'Pending payout',
    kind: 'money',
    nullable: false,
    profit: false,
    console: true,
    sql: '(payout - approved_payout)',
    value: (s) => fromMicros(s.payout - s.approvedPayout),
  } satisfies ReportColumnDef<string>,
  declinedPayout: money('Declined payout', 'declinedPayout'),
  refundedPayout: money('Refunded payout', 'refundedPayout'),
  // Fraud (docs/fraud.md): what the scoring saw in the traffic, and what the policies did with conversions.
  suspiciousClicks: count('Suspicious clicks', 'suspiciousClicks'),
  suspiciousPct: {
    label: 'Suspicious %',
    kind: 'ratio',
    nullable: true,
    profit: false,
    console: true,
    sql: ratioSql('suspicious_clicks', 'clicks'),
    value: (s) => ratio(s.suspiciousClicks, s.clicks),
  } satisfies ReportColumnDef<string | null>,
  botClicks: count('Bot clicks', 'botClicks'),
  heldConversions: count('Held', 'heldConversions'),
  fraudRejected: count('Rejected as fraud', 'fraudRejected'),
} as const;

export type ReportColumn = keyof typeof REPORT_COLUMN_DEFS;
/** Every column, in the order answers and CSV list them. */
export const REPORT_COLUMNS = Object.keys(REPORT_COLUMN_DEFS) as ReportColumn[];

/** One report row's figures as the API shows them: counts as numbers, money and ratios as decimal strings (ratios null without a denominator). */
export type ReportFigures = { [K in ReportColumn]: ReturnType<(typeof REPORT_COLUMN_DEFS)[K]['value']> };

/** Every column's figure from the sums. */
export function reportFigures(s: RowSums): ReportFigures {
  const out: Record<string, number | string | null> = {};
  for (const c of REPORT_COLUMNS) out[c] = REPORT_COLUMN_DEFS[c].value(s);
  return out as ReportFigures;
}

/**
 * How a figure moved since the previous period (`compare=previous`): `delta` is the exact difference
 * (a decimal string for every kind: counts, money and ratios alike), `change` the difference relative
 * to the previous figure (0.25 = up 25 %). Both are null when either figure is null (a ratio without a
 * denominator); `change` is null when the previous figure is 0.
 */
export interface FigureChange {
  delta: string | null;
  change: string | null;
}

export function figureChange(current: number | string | null | undefined, previous: number | string | null | undefined): FigureChange {
  if (current === null || current === undefined || previous === null || previous === undefined) return { delta: null, change: null };
  const now = toMicros(current);
  const before = toMicros(previous);
  const diff = now - before;
  return { delta: fromMicros(diff), change: ratio(diff, before < 0n ? -before : before) };
}

/** Every column's change between two sets of figures (a row and its row in the previous period, or the two totals). */
export function reportChanges(current: ReportFigures, previous: ReportFigures): Record<ReportColumn, FigureChange> {
  const out = {} as Record<ReportColumn, FigureChange>;
  for (const c of REPORT_COLUMNS) out[c] = figureChange(current[c], previous[c]);
  return out;
}
