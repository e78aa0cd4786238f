/**
 * Report time: clicks and conversions are counted in 15-minute UTC buckets. Every UTC offset in
 * use today (+05:30, +05:45, +12:45, DST shifts of 30 or 60 minutes) is a multiple of 15 minutes,
 * so any hour, day, week or month of any IANA zone is an exact union of buckets.
 */
export const BUCKET_MS = 15 * 60 * 1000;

export type TimeUnit = 'hour' | 'day' | 'week' | 'month';

/** True when `tz` is an IANA zone name the runtime knows (`UTC`, `Asia/Kathmandu`, …). */
export function isTimeZone(tz: string): boolean {
  if (!tz || tz.length > 64) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(tz, f);
  }
  return f;
}

/** The zone's offset from UTC at `instantMs`, in ms (Asia/Kathmandu: +20_700_000). */
export function zoneOffsetMs(instantMs: number, tz: string): number {
  const parts: Record<string, number> = {};
  for (const p of formatter(tz).formatToParts(new Date(instantMs))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  const asUtc = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
  return asUtc - Math.floor(instantMs / 1000) * 1000;
}

/**
 * The instant at which the wall-clock time `localMs` (a UTC-based number read as local time)
 * happens in `tz`. A time skipped by a DST jump resolves to the instant after the jump; a time
 * that happens twice resolves to the first.
 */
export function localToInstant(localMs: number, tz: string): number {
  // Two offsets cover every case: the one before and the one after any nearby transition.
  const candidates = [zoneOffsetMs(localMs - 86_400_000, tz), zoneOffsetMs(localMs + 86_400_000, tz)];
  const valid = candidates.map((off) => localMs - off).filter((t) => t + zoneOffsetMs(t, tz) === localMs);
  if (valid.length) return Math.min(...valid);
  // In a gap (spring forward): the wall time does not exist; take the instant the gap ends.
  return localMs - Math.min(...candidates);
}

/** A bucket start and the label of the period (of `unit` in `tz`) it belongs to. */
export interface BucketLabel {
  bucket: Date;
  label: string;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** The label of the period containing `instantMs`, given its offset. */
export function periodLabel(instantMs: number, offsetMs: number, unit: TimeUnit): string {
  const local = new Date(instantMs + offsetMs);
  const y = local.getUTCFullYear();
  const m = local.getUTCMonth() + 1;
  const d = local.getUTCDate();
  switch (unit) {
    case 'month':
      return `${y}-${pad(m)}`;
    case 'day':
      return `${y}-${pad(m)}-${pad(d)}`;
    case 'week': {
      // ISO week: the Monday that starts it.
      const dayMs = Date.UTC(y, m - 1, d);
      const monday = new Date(dayMs - ((local.getUTCDay() + 6) % 7) * 86_400_000);
      return `${monday.getUTCFullYear()}-${pad(monday.getUTCMonth() + 1)}-${pad(monday.getUTCDate())}`;
    }
    case 'hour': {
      // With the offset: on the day clocks go back, 01:00 happens twice and the two hours stay apart.
      const sign = offsetMs < 0 ? '-' : '+';
      const abs = Math.abs(offsetMs) / 60_000;
      return `${y}-${pad(m)}-${pad(d)}T${pad(local.getUTCHours())}:00${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
    }
  }
}

/**
 * Every bucket in `[fromMs, toMs)` (both on bucket boundaries) with its period label. Offsets are
 * read once per day and, where a day's two ends differ, the transition is found by bisection, so
 * a 400-day range costs a few hundred zone look-ups rather than one per bucket.
 */
export function labelBuckets(fromMs: number, toMs: number, tz: string, unit: TimeUnit): BucketLabel[] {
  const out: BucketLabel[] = [];
  const day = 86_400_000;
  for (let start = fromMs; start < toMs; start += day) {
    const end = Math.min(start + day, toMs);
    const offStart = zoneOffsetMs(start, tz);
    const offEnd = zoneOffsetMs(end - BUCKET_MS, tz);
    let switchAt = end;
    if (offStart !== offEnd) {
      // First bucket whose offset is no longer offStart.
      let lo = start;
      let hi = end - BUCKET_MS;
      while (hi - lo > BUCKET_MS) {
        const mid = lo + Math.floor((hi - lo) / 2 / BUCKET_MS) * BUCKET_MS;
        if (zoneOffsetMs(mid, tz) === offStart) lo = mid;
        else hi = mid;
      }
      switchAt = hi;
    }
    for (let b = start; b < end; b += BUCKET_MS) {
      out.push({ bucket: new Date(b), label: periodLabel(b, b < switchAt ? offStart : offEnd, unit) });
    }
  }
  return out;
}

/** The start of the bucket holding `instantMs`. */
export function bucketOf(instantMs: number): number {
  return Math.floor(instantMs / BUCKET_MS) * BUCKET_MS;
}

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const LOCAL_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,3})?)?$/;
const ZONED_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2})$/;

/**
 * Reads a report bound: a date (`2026-03-08`, midnight of that day in `tz`), a local date-time
 * (`2026-03-08T06:00`, wall time in `tz`) or a date-time with `Z` or an offset (an instant).
 * Returns the instant in ms, or a reason.
 */
export function parseReportBound(text: string, tz: string): { ok: true; ms: number } | { ok: false; reason: string } {
  const year = Number(text.slice(0, 4));
  if (/^\d{4}-/.test(text) && (year < 1970 || year > 9999)) return { ok: false, reason: 'must be in 1970 or later' };
  let match = DATE_ONLY.exec(text);
  if (match) {
    const local = Date.UTC(+match[1], +match[2] - 1, +match[3]);
    if (new Date(local).getUTCDate() !== +match[3]) return { ok: false, reason: 'is not a real date' };
    return { ok: true, ms: localToInstant(local, tz) };
  }
  match = LOCAL_DATE_TIME.exec(text);
  if (match) {
    const local = Date.UTC(+match[1], +match[2] - 1, +match[3], +match[4], +match[5], +(match[6] ?? 0));
    if (Number.isNaN(local) || new Date(local).getUTCDate() !== +match[3] || +match[4] > 23 || +match[5] > 59)
      return { ok: false, reason: 'is not a real date-time' };
    return { ok: true, ms: localToInstant(local, tz) };
  }
  if (ZONED_DATE_TIME.test(text)) {
    const ms = Date.parse(text);
    if (Number.isNaN(ms)) return { ok: false, reason: 'is not a real date-time' };
    return { ok: true, ms };
  }
  return { ok: false, reason: 'must be a date (2026-03-08) or date-time (2026-03-08T06:00, 2026-03-08T06:00:00Z)' };
}

/** Grains (seconds) of the report totals: 15 minutes, 1 hour, 1 UTC day. */
export const REPORT_GRAINS = [900, 3600, 86_400] as const;
export type ReportGrain = (typeof REPORT_GRAINS)[number];

/** A stretch `[start, end)` of one period (or the whole range when the report has no time dimension). */
export interface PeriodRun {
  start: Date;
  end: Date;
  label: string;
}

/** One bucket of a given grain inside a period. */
export interface CoverBucket {
  grain: ReportGrain;
  bucket: Date;
  label: string;
}

/**
 * The range `[fromMs, toMs)` cut into its periods of `unit` in `tz` (consecutive 15-minute buckets
 * with the same label), or a single run labelled '' without a unit.
 */
export function periodRuns(fromMs: number, toMs: number, tz: string, unit: TimeUnit | undefined): PeriodRun[] {
  if (!unit) return fromMs < toMs ? [{ start: new Date(fromMs), end: new Date(toMs), label: '' }] : [];
  const runs: PeriodRun[] = [];
  for (const { bucket, label } of labelBuckets(fromMs, toMs, tz, unit)) {
    const last = runs[runs.length - 1];
    const end = new Date(bucket.getTime() + BUCKET_MS);
    if (last && last.label === label && last.end.getTime() === bucket.getTime()) last.end = end;
    else runs.push({ start: bucket, end, label });
  }
  return runs;
}

/**
 * Each run covered by the coarsest aligned buckets that fit inside it: whole UTC days, then whole
 * hours, then 15-minute buckets at the ragged ends. A UTC day is one bucket; a day of Asia/Kathmandu
 * (+05:45, 18:15 to 18:15 UTC) is 3 quarters + 23 hours + 1 quarter. The union is exactly the run,
 * so figures summed over the cover equal those summed over its 15-minute buckets.
 */
export function coverRuns(runs: readonly PeriodRun[]): CoverBucket[] {
  const out: CoverBucket[] = [];
  for (const run of runs) {
    const end = run.end.getTime();
    let t = run.start.getTime();
    while (t < end) {
      const grain = ([86_400, 3600, 900] as const).find((g) => t % (g * 1000) === 0 && t + g * 1000 <= end) ?? 900;
      out.push({ grain, bucket: new Date(t), label: run.label });
      t += grain * 1000;
    }
  }
  return out;
}
