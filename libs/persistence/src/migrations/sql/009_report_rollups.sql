-- Coarse report rollups (docs/reports.md#storage). The 15-minute rollups of 005 keep one row per
-- campaign × bucket × country × device × OS × browser (and, for conversions, per click bucket ×
-- conversion bucket), so a 30-day report read every one of them. These totals keep, per campaign,
-- the same figures at three grains — 15 minutes, 1 hour and 1 UTC day (`grain` in seconds) — and a
-- report covers each of its periods with the coarsest aligned buckets: a UTC day is one day row, a
-- +05:45 day is 1 quarter + 18 hours + 5 quarters. Exact for every zone, since every period is still
-- a union of 15-minute buckets.

CREATE TABLE click_totals (
  grain integer NOT NULL CHECK (grain IN (900, 3600, 86400)),
  bucket timestamptz NOT NULL,
  campaign_id uuid NOT NULL,
  clicks bigint NOT NULL DEFAULT 0,
  unique_clicks bigint NOT NULL DEFAULT 0,
  cost numeric(24, 6) NOT NULL DEFAULT 0,
  clicks_without_cost bigint NOT NULL DEFAULT 0,
  -- grain and bucket first: a report reads the cover's (grain, bucket) pairs for all or some campaigns.
  PRIMARY KEY (grain, bucket, campaign_id)
);

-- Conversions per report basis: `click` buckets them at their click's time, `conversion` at their own
-- (attributeBy). conversion_day (UTC) picks the currency rate. One row aggregates every conversion of
-- the campaign, bucket, goal and currency, where conversion_rollups keeps about one row per conversion.
CREATE TABLE conversion_totals (
  basis text NOT NULL CHECK (basis IN ('click', 'conversion')),
  grain integer NOT NULL CHECK (grain IN (900, 3600, 86400)),
  bucket timestamptz NOT NULL,
  campaign_id uuid NOT NULL,
  conversion_day date NOT NULL,
  goal text NOT NULL,
  currency text NOT NULL,
  approved bigint NOT NULL DEFAULT 0,
  pending bigint NOT NULL DEFAULT 0,
  declined bigint NOT NULL DEFAULT 0,
  refunded bigint NOT NULL DEFAULT 0,
  payout numeric(24, 6) NOT NULL DEFAULT 0,
  approved_payout numeric(24, 6) NOT NULL DEFAULT 0,
  sale_amount numeric(24, 6) NOT NULL DEFAULT 0,
  cost numeric(24, 6) NOT NULL DEFAULT 0,
  cost_native numeric(24, 6) NOT NULL DEFAULT 0,
  PRIMARY KEY (basis, grain, bucket, campaign_id, conversion_day, goal, currency)
);

-- Existing data: the totals are sums of the 15-minute rollups.
INSERT INTO click_totals (grain, bucket, campaign_id, clicks, unique_clicks, cost, clicks_without_cost)
SELECT g.grain, to_timestamp(floor(extract(epoch FROM r.bucket) / g.grain) * g.grain), r.campaign_id,
       sum(r.clicks), sum(r.unique_clicks), sum(r.cost), sum(r.clicks_without_cost)
FROM click_rollups r CROSS JOIN (VALUES (900), (3600), (86400)) AS g(grain)
GROUP BY 1, 2, 3;

INSERT INTO conversion_totals (basis, grain, bucket, campaign_id, conversion_day, goal, currency,
                               approved, pending, declined, refunded, payout, approved_payout, sale_amount, cost, cost_native)
SELECT b.basis, g.grain,
       to_timestamp(floor(extract(epoch FROM CASE b.basis WHEN 'click' THEN r.click_bucket ELSE r.conversion_bucket END) / g.grain) * g.grain),
       r.campaign_id, (r.conversion_bucket AT TIME ZONE 'UTC')::date, r.goal, r.currency,
       sum(r.approved), sum(r.pending), sum(r.declined), sum(r.refunded), sum(r.payout), sum(r.approved_payout),
       sum(r.sale_amount), sum(r.cost), sum(r.cost_native)
FROM conversion_rollups r CROSS JOIN (VALUES ('click'), ('conversion')) AS b(basis) CROSS JOIN (VALUES (900), (3600), (86400)) AS g(grain)
GROUP BY 1, 2, 3, 4, 5, 6, 7;

-- Sub-id reports read raw clicks of one campaign and range. Clicks of one campaign are spread thin
-- over the table (interleaved with every other campaign's), so the plain (campaign_id, created_at)
-- index led to one heap page per click read. The same index carrying the columns those reports
-- use makes it an index-only scan; it replaces the plain one for every other use too.
CREATE INDEX clicks_campaign_created_covering ON clicks (campaign_id, created_at)
  INCLUDE (id, is_unique, cost, cost_missing, country, device_type, os, browser, sub1, sub2, sub3, sub4, sub5, sub6, sub7, sub8, sub9, sub10);
DROP INDEX clicks_campaign_created;
