-- Sub-id value rollups (docs/reports.md#storage): per sub id (1-10), UTC day or ISO week (Monday
-- 00:00 UTC) and value, the click figures summed over every campaign. A report by one sub id over all
-- campaigns reads one row per value and week here instead of one per value, campaign and day in
-- sub_click_rollups (013): at 100,000 zones the rows are bounded by values x weeks, not by clicks.
-- Campaign-filtered or scoped reports keep reading sub_click_rollups.
--
-- Created empty: a background job of the tracker fills it from sub_click_rollups, one day or week
-- per transaction, newest first, while the tracker serves (no backfill at boot).
CREATE TABLE sub_value_rollups (
  sub smallint NOT NULL CHECK (sub BETWEEN 1 AND 10),
  grain integer NOT NULL CHECK (grain IN (86400, 604800)),
  bucket timestamptz NOT NULL,
  value text NOT NULL,
  clicks bigint NOT NULL DEFAULT 0,
  unique_clicks bigint NOT NULL DEFAULT 0,
  cost numeric(24, 6) NOT NULL DEFAULT 0,
  clicks_without_cost bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (sub, grain, bucket, value)
);

-- The days and weeks compacted into sub_value_rollups. `clicks` is the click count of the rows written
-- (sub 1 summed), `totals_clicks` what click_totals said then. A report uses a bucket only while
-- `clicks` equals click_totals' count of it in the report's own snapshot: a click stored later into a
-- compacted day (a journal replayed after an outage) makes the bucket stale, the report reads it from
-- sub_click_rollups again, and the job compacts it anew.
CREATE TABLE sub_value_buckets (
  grain integer NOT NULL CHECK (grain IN (86400, 604800)),
  bucket timestamptz NOT NULL,
  clicks bigint NOT NULL,
  totals_clicks bigint NOT NULL,
  compacted_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (grain, bucket)
);
