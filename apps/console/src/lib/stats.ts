import { REPORT_COLUMN_DEFS, REPORT_COLUMNS, type ColumnKind } from '@postwire/core/report-columns';
import { api } from '../api/client';
import type { ReadOf } from '../api/responses';
import { zonedLocalToUtc } from './zoned-time';

export type StatsReport = ReadOf<'/api/reports/stats'>;
export type StatsRow = StatsReport['rows'][number];

/** Dimensions of GET /api/reports/stats. */
export const DIMENSIONS = [
  'day',
  'hour',
  'week',
  'month',
  'campaign',
  'offer',
  'network',
  'trafficSource',
  'country',
  'deviceType',
  'os',
  'browser',
  'goal',
  'sub1',
  'sub2',
  'sub3',
  'sub4',
  'sub5',
  'sub6',
  'sub7',
  'sub8',
  'sub9',
  'sub10',
  'fraudReason',
] as const;
export type Dimension = (typeof DIMENSIONS)[number];
export const TIME_DIMENSIONS: readonly string[] = ['day', 'hour', 'week', 'month'];

export const DIMENSION_LABELS: Record<string, string> = {
  day: 'Day',
  hour: 'Hour',
  week: 'Week',
  month: 'Month',
  campaign: 'Campaign',
  offer: 'Offer',
  network: 'Network',
  trafficSource: 'Traffic source',
  country: 'Country',
  deviceType: 'Device',
  os: 'OS',
  browser: 'Browser',
  goal: 'Goal',
  // A click or conversion with several reasons counts under each.
  fraudReason: 'Fraud reason',
};
export const dimensionLabel = (d: string) => DIMENSION_LABELS[d] ?? d.replace(/^sub/, 'Sub ');

export type MetricKind = ColumnKind;
/** The report columns the console offers: read from the server's column registry, so a new column shows up here by itself. */
export const METRICS: Array<{ key: string; label: string; kind: MetricKind; profit?: boolean }> = REPORT_COLUMNS.filter(
  (c) => REPORT_COLUMN_DEFS[c].console,
).map((c) => ({ key: c, label: REPORT_COLUMN_DEFS[c].label, kind: REPORT_COLUMN_DEFS[c].kind, ...(REPORT_COLUMN_DEFS[c].profit ? { profit: true } : {}) }));
export const DEFAULT_METRICS = ['clicks', 'conversions', 'payout', 'cost', 'profit', 'roi', 'cr', 'epc'];

export interface StatsQuery {
  from: string;
  to: string;
  tz: string;
  groupBy: string[];
  filters?: Record<string, string[]>;
  sort?: string;
  limit?: number;
  /** The previous page's nextCursor. */
  cursor?: string;
  /** Also the period of the same length just before (`compare` in the answer). */
  compare?: boolean;
  /** Exact figures for every sub1 × sub2 pair, never the bounded pair grain (slower; may time out on a large install). */
  exact?: boolean;
}

export function statsParams(q: StatsQuery): Record<string, string | number | undefined> {
  const params: Record<string, string | number | undefined> = {
    from: q.from,
    to: q.to,
    tz: q.tz,
    groupBy: q.groupBy.join(','),
    sort: q.sort,
    limit: q.limit,
    cursor: q.cursor,
    compare: q.compare ? 'previous' : undefined,
    exact: q.exact ? 'true' : undefined,
  };
  for (const [dim, values] of Object.entries(q.filters ?? {})) if (values.length) params[dim] = values.join(',');
  return params;
}

export function fetchStats(q: StatsQuery): Promise<StatsReport> {
  return api.get<StatsReport>('/api/reports/stats', statsParams(q));
}

/** The value of a group key in a row, and its display name (ids come with names). */
export function groupKey(row: StatsRow, dim: string): { value: string; label: string } {
  const raw = (row as Record<string, unknown>)[dim];
  if (raw && typeof raw === 'object') {
    const o = raw as { id?: string; name?: string; value?: string };
    const value = String(o.id ?? o.value ?? '');
    return { value, label: o.name ?? value };
  }
  const value = raw === null || raw === undefined ? '' : String(raw);
  const name = (row as Record<string, unknown>)[`${dim}Name`];
  return { value, label: typeof name === 'string' && name ? name : value || '(none)' };
}

/**
 * Clicks and conversions per day from `from` to `to` (exclusive), days without traffic as 0, so the
 * chart's axis spans the whole range. `x` are Unix seconds of each day's start: its midnight in `tz`.
 */
export function dailySeries(rows: StatsRow[], from: string, to: string, tz = 'UTC'): { x: number[]; clicks: number[]; conversions: number[] } {
  const byDay = new Map(rows.map((r) => [groupKey(r, 'day').value.slice(0, 10), r]));
  const x: number[] = [];
  const clicks: number[] = [];
  const conversions: number[] = [];
  for (let day = from; day < to; day = nextDay(day)) {
    const row = byDay.get(day);
    x.push(zonedLocalToUtc(`${day}T00:00`, tz).getTime() / 1000);
    clicks.push(Number(row?.clicks ?? 0));
    conversions.push(Number(row?.conversions ?? 0));
  }
  return { x, clicks, conversions };
}

/**
 * Clicks and conversions per hour over `[fromSec, toSec)`, hours without traffic as 0. Hours start
 * at `fromSec` (a midnight of the report's zone, so at :15 UTC in Kathmandu); a row's label carries
 * its offset (`2026-03-08T05:00+05:45`), which makes it an instant.
 */
export function hourlySeries(rows: StatsRow[], fromSec: number, toSec: number): { x: number[]; clicks: number[]; conversions: number[] } {
  const byHour = new Map(rows.map((r) => [Date.parse(groupKey(r, 'hour').value) / 1000, r]));
  const x: number[] = [];
  const clicks: number[] = [];
  const conversions: number[] = [];
  for (let t = fromSec; t < toSec; t += 3600) {
    const row = byHour.get(t);
    x.push(t);
    clicks.push(Number(row?.clicks ?? 0));
    conversions.push(Number(row?.conversions ?? 0));
  }
  return { x, clicks, conversions };
}

function nextDay(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}
