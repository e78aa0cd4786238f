-- Sub-id report rollups (docs/reports.md#storage). Reports by a sub id read raw clicks before this:
-- a 60-day report over all campaigns read every click of the range. This table keeps, per sub id
-- (1-10), UTC day, campaign and value, the click figures, so a report by one sub id reads one row per
-- value, campaign and day; the parts of a range that are not whole UTC days (a +05:45 zone's day
-- starts at 18:15 UTC) are read from raw clicks, which stays exact in every zone.
-- Cardinality: with values spread evenly a campaign's day can have about as many values as clicks,
-- and then this table is as large as the clicks it sums (per set sub id); real zone and placement
-- traffic is heavily skewed, where it is far smaller. A sub id not set counts under '' (as reports
-- show it), one row per campaign and day.
CREATE TABLE sub_click_rollups (
  sub smallint NOT NULL CHECK (sub BETWEEN 1 AND 10),
  day timestamptz NOT NULL,
  campaign_id uuid NOT NULL,
  value text NOT NULL,
  clicks bigint NOT NULL DEFAULT 0,
  unique_clicks bigint NOT NULL DEFAULT 0,
  cost numeric(24, 6) NOT NULL DEFAULT 0,
  clicks_without_cost bigint NOT NULL DEFAULT 0,
  -- sub and day first: a report reads one sub id over a range of days, for all or some campaigns.
  PRIMARY KEY (sub, day, campaign_id, value)
);

-- Existing clicks. The same statement as rebuildReportRollups (libs/persistence/src/repositories/report-rollups.ts) over all time.
INSERT INTO sub_click_rollups (sub, day, campaign_id, value, clicks, unique_clicks, cost, clicks_without_cost)
SELECT s.sub, to_timestamp(floor(extract(epoch FROM c.created_at) / 86400) * 86400), c.campaign_id,
       coalesce(CASE s.sub WHEN 1 THEN c.sub1 WHEN 2 THEN c.sub2 WHEN 3 THEN c.sub3 WHEN 4 THEN c.sub4 WHEN 5 THEN c.sub5
                           WHEN 6 THEN c.sub6 WHEN 7 THEN c.sub7 WHEN 8 THEN c.sub8 WHEN 9 THEN c.sub9 ELSE c.sub10 END, ''),
       count(*), count(*) FILTER (WHERE c.is_unique), sum(c.cost), count(*) FILTER (WHERE c.cost_missing)
FROM clicks c CROSS JOIN generate_series(1, 10) AS s(sub)
GROUP BY 1, 2, 3, 4;
