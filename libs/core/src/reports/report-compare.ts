/**
 * Comparison with the previous period (`compare=previous`): the range of the same length just
 * before the report's, and how each row of the report finds its row in it.
 */
import { labelBuckets, localToInstant, zoneOffsetMs, type TimeUnit } from './time-buckets';

/**
 * The period just before `[fromMs, toMs)`, of the same length on the zone's clock: a week of days is
 * compared with the seven days before it, even when a DST change makes one of them 23 or 25 hours
 * long; a range of hours with the same number of hours. Both bounds stay on quarter hours, because
 * every offset is a multiple of 15 minutes.
 */
export function previousPeriod(fromMs: number, toMs: number, tz: string): { fromMs: number; toMs: number } {
  const fromLocal = fromMs + zoneOffsetMs(fromMs, tz);
  const toLocal = toMs + zoneOffsetMs(toMs, tz);
  return { fromMs: localToInstant(fromLocal - (toLocal - fromLocal), tz), toMs: fromMs };
}

/**
 * For a report grouped by time: the label of each period of `[fromMs, toMs)` mapped to the label of
 * the period at the same position in the previous range (the first day to the first day, …). A period
 * with no counterpart (the 25th hour of an autumn day compared with a 24-hour day) is left out.
 */
export function previousPeriodLabels(fromMs: number, toMs: number, prevFromMs: number, prevToMs: number, tz: string, unit: TimeUnit): Map<string, string> {
  const current = distinctLabels(fromMs, toMs, tz, unit);
  const previous = distinctLabels(prevFromMs, prevToMs, tz, unit);
  const map = new Map<string, string>();
  current.forEach((label, i) => {
    if (i < previous.length) map.set(label, previous[i]);
  });
  return map;
}

function distinctLabels(fromMs: number, toMs: number, tz: string, unit: TimeUnit): string[] {
  const out: string[] = [];
  for (const { label } of labelBuckets(fromMs, toMs, tz, unit)) if (out[out.length - 1] !== label) out.push(label);
  return out;
}
