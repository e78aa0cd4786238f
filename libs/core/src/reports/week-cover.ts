import type { CoverBucket } from './time-buckets';

/** An ISO week (Monday 00:00 UTC to the next), in seconds: the grain of the sub-id value rollups' weekly rows. */
export const WEEK_GRAIN = 604_800;

const DAY_MS = 86_400_000;
const WEEK_MS = WEEK_GRAIN * 1000;
/** 1970-01-05, the first Monday after the epoch (a Thursday): weeks are counted from it. */
const FIRST_MONDAY_MS = 4 * DAY_MS;

/** The start (Monday 00:00 UTC) of the ISO week holding `ms`. */
export function weekStartMs(ms: number): number {
  return Math.floor((ms - FIRST_MONDAY_MS) / WEEK_MS) * WEEK_MS + FIRST_MONDAY_MS;
}

/** A bucket of a report's cover that may also be a whole UTC week. */
export interface ValueCoverBucket {
  grain: CoverBucket['grain'] | typeof WEEK_GRAIN;
  bucket: Date;
  label: string;
}

/**
 * The cover with every run of seven whole UTC days that is one ISO week, all under one label, turned
 * into one week bucket: a report over 90 days then reads 12 weekly rows per value and the days at
 * the ends, instead of 90 daily rows. The union of the buckets is unchanged.
 */
export function mergeWholeWeeks(cover: readonly CoverBucket[]): ValueCoverBucket[] {
  const days = new Map<number, string>();
  for (const c of cover) if (c.grain === 86_400) days.set(c.bucket.getTime(), c.label);
  const inWeek = new Set<number>();
  const weeks: ValueCoverBucket[] = [];
  for (const [start, label] of days) {
    if (weekStartMs(start) !== start) continue;
    const members = Array.from({ length: 7 }, (_, i) => start + i * DAY_MS);
    if (!members.every((d) => days.get(d) === label)) continue;
    for (const d of members) inWeek.add(d);
    weeks.push({ grain: WEEK_GRAIN, bucket: new Date(start), label });
  }
  return [...cover.filter((c) => !(c.grain === 86_400 && inWeek.has(c.bucket.getTime()))), ...weeks];
}
