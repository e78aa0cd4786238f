import { addDays } from './format';

/** The report's date presets: whole days of the operator's zone, `to` exclusive. */
export const REPORT_PRESETS = [
  { value: 'today', label: 'Today' },
  { value: 'yesterday', label: 'Yesterday' },
  { value: '7d', label: 'Last 7 days' },
  { value: '30d', label: 'Last 30 days' },
  { value: 'month', label: 'This month' },
  { value: 'last-month', label: 'Last month' },
  { value: 'custom', label: 'Custom range' },
] as const;
export type ReportPreset = (typeof REPORT_PRESETS)[number]['value'];
export const DEFAULT_PRESET: ReportPreset = '7d';

export function isReportPreset(value: string): value is ReportPreset {
  return REPORT_PRESETS.some((p) => p.value === value);
}

/**
 * The days `[from, to)` a preset covers, given today's date in the operator's zone (`dayIn(now, tz)`):
 * the zone decides which day "today" is, so at 00:15 in Kathmandu it is already the next day there.
 * `custom` starts as the last 7 days until dates are chosen.
 */
export function presetDays(preset: ReportPreset, today: string): [string, string] {
  const tomorrow = addDays(today, 1);
  const firstOfMonth = `${today.slice(0, 8)}01`;
  switch (preset) {
    case 'today':
      return [today, tomorrow];
    case 'yesterday':
      return [addDays(today, -1), today];
    case '30d':
      return [addDays(today, -29), tomorrow];
    case 'month':
      return [firstOfMonth, tomorrow];
    case 'last-month':
      return [`${addDays(firstOfMonth, -1).slice(0, 8)}01`, firstOfMonth];
    case '7d':
    case 'custom':
      return [addDays(today, -6), tomorrow];
  }
}
