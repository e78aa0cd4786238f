-- Saved reports, and declined and refunded amounts in the report rollups.
--
-- Saved reports (docs/reports.md#saved-reports): a user's named report views. `query` is the report's
-- state as the console keeps it in its URL (range, zone, grouping, filters, sort, columns, comparison),
-- so opening one is opening that URL. A user sees and changes only their own; they go with the user.
CREATE TABLE saved_reports (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  query text NOT NULL CHECK (length(query) <= 4000),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
-- One name per user whatever its case; also the index a user's list reads.
CREATE UNIQUE INDEX saved_reports_user_name ON saved_reports (user_id, lower(name));

-- Declined and refunded amounts as report columns (docs/reports.md#the-columns): the payout those
-- conversions carry, summed like approved_payout, in the rollups a report reads.
ALTER TABLE conversion_rollups ADD COLUMN declined_payout numeric(24, 6) NOT NULL DEFAULT 0;
ALTER TABLE conversion_rollups ADD COLUMN refunded_payout numeric(24, 6) NOT NULL DEFAULT 0;
ALTER TABLE conversion_totals ADD COLUMN declined_payout numeric(24, 6) NOT NULL DEFAULT 0;
ALTER TABLE conversion_totals ADD COLUMN refunded_payout numeric(24, 6) NOT NULL DEFAULT 0;

-- Existing conversions: their declined and refunded payouts into the rows that already count them.
UPDATE conversion_rollups r SET declined_payout = s.declined_payout, refunded_payout = s.refunded_payout
FROM (
  SELECT campaign_id, to_timestamp(floor(extract(epoch FROM click_at) / 900) * 900) AS click_bucket,
         to_timestamp(floor(extract(epoch FROM created_at) / 900) * 900) AS conversion_bucket,
         country, device_type, os, browser, goal, trim(currency) AS currency,
         coalesce(sum(payout) FILTER (WHERE status = 'declined'), 0) AS declined_payout,
         coalesce(sum(payout) FILTER (WHERE status = 'refunded'), 0) AS refunded_payout
  FROM conversions WHERE NOT is_test AND status IN ('declined', 'refunded') GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9
) s
WHERE r.campaign_id = s.campaign_id AND r.click_bucket = s.click_bucket AND r.conversion_bucket = s.conversion_bucket
  AND r.country = s.country AND r.device_type = s.device_type AND r.os = s.os AND r.browser = s.browser AND r.goal = s.goal AND r.currency = s.currency;

UPDATE conversion_totals r SET declined_payout = s.declined_payout, refunded_payout = s.refunded_payout
FROM (
  SELECT b.basis, g.grain,
         to_timestamp(floor(extract(epoch FROM CASE b.basis WHEN 'click' THEN cv.click_at ELSE cv.created_at END) / g.grain) * g.grain) AS bucket,
         cv.campaign_id, (cv.created_at AT TIME ZONE 'UTC')::date AS conversion_day, cv.goal, trim(cv.currency) AS currency,
         coalesce(sum(cv.payout) FILTER (WHERE cv.status = 'declined'), 0) AS declined_payout,
         coalesce(sum(cv.payout) FILTER (WHERE cv.status = 'refunded'), 0) AS refunded_payout
  FROM conversions cv CROSS JOIN (VALUES ('click'), ('conversion')) AS b(basis) CROSS JOIN (VALUES (900), (3600), (86400)) AS g(grain)
  WHERE NOT cv.is_test AND cv.status IN ('declined', 'refunded')
  GROUP BY 1, 2, 3, 4, 5, 6, 7
) s
WHERE r.basis = s.basis AND r.grain = s.grain AND r.bucket = s.bucket AND r.campaign_id = s.campaign_id
  AND r.conversion_day = s.conversion_day AND r.goal = s.goal AND r.currency = s.currency;
