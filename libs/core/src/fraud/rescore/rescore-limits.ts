/** Bounds on one re-score run, so it never holds one long transaction or the tracker's memory. */
export const RESCORE_LIMITS = {
  /** The widest date range one run covers. */
  maxRangeDays: 93,
  /** Rows read (and, when applying, written in one transaction) at a time, by keyset. */
  batchSize: 1000,
  /** Changed conversions shown as a sample in the result. */
  sampleSize: 50,
} as const;
