import { isTimeZoneName } from './format';
import { DEFAULT_PRESET, isReportPreset, presetDays, type ReportPreset } from './report-presets';
import { DEFAULT_METRICS, DIMENSIONS, METRICS, TIME_DIMENSIONS } from './stats';

const FILTER_DIMENSIONS = DIMENSIONS.filter((d) => !TIME_DIMENSIONS.includes(d));
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The report screen's state, all of it in the URL so a view can be shared and saved. */
export interface ReportUrlState {
  tz: string;
  preset: ReportPreset;
  from: string;
  to: string;
  groupBy: string[];
  filters: Record<string, string[]>;
  sort: string;
  columns: string[];
  compare: boolean;
}

/** A URL parameter that cannot be used, and why: shown with a reset instead of a blank page. */
export interface UrlProblem {
  param: string;
  message: string;
}

const realDate = (day: string) => DATE.test(day) && new Date(`${day}T00:00:00Z`).toISOString().slice(0, 10) === day;

/**
 * Reads the report's URL parameters. `today` is a function of the zone (the zone may itself come
 * from the URL); an unknown zone, preset, date, dimension, column or sort is a problem, never a throw.
 */
export function readReportUrl(
  params: URLSearchParams,
  defaults: { tz: string },
  todayIn: (tz: string) => string,
): { ok: true; state: ReportUrlState } | { ok: false; problems: UrlProblem[] } {
  const problems: UrlProblem[] = [];
  const tz = params.get('tz') || defaults.tz;
  if (!isTimeZoneName(tz)) problems.push({ param: 'tz', message: `"${tz.slice(0, 64)}" is not a time zone` });
  const range = params.get('range') || DEFAULT_PRESET;
  if (!isReportPreset(range)) problems.push({ param: 'range', message: `"${range.slice(0, 40)}" is not a date range` });
  const groupBy = (params.get('groupBy') || 'campaign').split(',').filter(Boolean);
  const badDim = groupBy.find((d) => !(DIMENSIONS as readonly string[]).includes(d));
  if (badDim !== undefined) problems.push({ param: 'groupBy', message: `"${badDim.slice(0, 40)}" is not a dimension` });
  else if (groupBy.length > 3) problems.push({ param: 'groupBy', message: 'takes at most three levels' });
  const columns = (params.get('cols') || DEFAULT_METRICS.join(',')).split(',').filter(Boolean);
  const badCol = columns.find((c) => !METRICS.some((m) => m.key === c));
  if (badCol !== undefined) problems.push({ param: 'cols', message: `"${badCol.slice(0, 40)}" is not a report column` });
  const sort = params.get('sort') || '-clicks';
  const sortKey = sort.replace(/^-/, '');
  if (!METRICS.some((m) => m.key === sortKey) && !groupBy.includes(sortKey) && !groupBy.includes(sortKey.replace(/Name$/, '')))
    problems.push({ param: 'sort', message: `"${sortKey.slice(0, 40)}" is not a column or grouping of this report` });
  const compare = params.get('compare');
  if (compare !== null && compare !== 'previous') problems.push({ param: 'compare', message: 'can only be "previous"' });
  if (problems.some((p) => p.param === 'tz' || p.param === 'range')) return { ok: false, problems };

  const preset = range as ReportPreset;
  let [from, to] = presetDays(preset, todayIn(tz));
  if (preset === 'custom') {
    from = params.get('from') || from;
    to = params.get('to') || to;
    if (!realDate(from)) problems.push({ param: 'from', message: `"${from.slice(0, 40)}" is not a date (YYYY-MM-DD)` });
    if (!realDate(to)) problems.push({ param: 'to', message: `"${to.slice(0, 40)}" is not a date (YYYY-MM-DD)` });
    else if (realDate(from) && from >= to) problems.push({ param: 'to', message: 'must be after from' });
  }
  if (problems.length) return { ok: false, problems };
  const filters: Record<string, string[]> = {};
  for (const dim of FILTER_DIMENSIONS) {
    const value = params.get(dim);
    if (value) filters[dim] = value.split(',');
  }
  return { ok: true, state: { tz, preset, from, to, groupBy, filters, sort, columns, compare: compare === 'previous' } };
}
