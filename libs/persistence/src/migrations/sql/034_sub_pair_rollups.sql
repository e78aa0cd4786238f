-- Sub-id pair rollups (docs/reports.md#two-level-sub-reports): a bounded answer for `groupBy=sub1,sub2`
-- over all campaigns. Pairs of a long-tail sub1 (zones) and sub2 (sites) are nearly unique per click,
-- so an exact pair rollup would be as large as the clicks. This table keeps, per UTC day or ISO week
-- (Monday 00:00 UTC) and summed over every campaign, only the head pairs of the bucket (its top pairs
-- by clicks, a fixed number of them: SUB_PAIR_HEAD in sub-pair-rollups.ts) with their exact click
-- figures, plus ONE remainder row (`head = false`, sub1 = sub2 = '') with the exact sum of every pair
-- cut. A report answered from it says so (`approximation` in the answer): rows cut in some bucket of
-- the range are marked as lower bounds and the remainder is an explicit "(other)" row; the totals stay exact.
--
-- Created empty: a background job of the tracker fills it from raw clicks, one day or week per
-- transaction, newest first, while the tracker serves (no backfill at boot).
CREATE TABLE sub_pair_rollups (
  grain integer NOT NULL CHECK (grain IN (86400, 604800)),
  bucket timestamptz NOT NULL,
  head boolean NOT NULL,
  sub1 text NOT NULL,
  sub2 text NOT NULL,
  clicks bigint NOT NULL DEFAULT 0,
  unique_clicks bigint NOT NULL DEFAULT 0,
  cost numeric(24, 6) NOT NULL DEFAULT 0,
  clicks_without_cost bigint NOT NULL DEFAULT 0,
  suspicious_clicks bigint NOT NULL DEFAULT 0,
  bot_clicks bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (grain, bucket, head, sub1, sub2)
);

-- The days and weeks compacted into sub_pair_rollups, with the same staleness rule as sub_value_buckets
-- (027): `clicks` is what the rows written sum to, `totals_clicks` what click_totals said then, and a
-- report uses a bucket only while `clicks` equals click_totals' count of it in the report's snapshot.
-- `cut_pairs` is how many pairs went into the remainder row (0: the bucket is exact for every pair).
CREATE TABLE sub_pair_buckets (
  grain integer NOT NULL CHECK (grain IN (86400, 604800)),
  bucket timestamptz NOT NULL,
  clicks bigint NOT NULL,
  totals_clicks bigint NOT NULL,
  head_pairs integer NOT NULL,
  cut_pairs integer NOT NULL,
  compacted_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (grain, bucket)
);
