-- Reports and costs (docs/reports.md). Money stays numeric: exact, never a binary float.
-- Time buckets are 15 minutes in UTC: every UTC offset in use (+05:30, +05:45, DST shifts) is a
-- multiple of 15 minutes, so a day or hour of any IANA zone is an exact union of buckets.

-- A campaign's cost model. cost_value is per click (cpc), per conversion (cpa) in the report
-- currency, or a percentage of payout (revshare); auto reads each click's cost from cost_param.
ALTER TABLE campaigns
  ADD COLUMN cost_model text NOT NULL DEFAULT 'none' CHECK (cost_model IN ('none', 'cpc', 'cpa', 'revshare', 'auto')),
  ADD COLUMN cost_value numeric(18, 6) CHECK (cost_value >= 0),
  ADD COLUMN cost_param text NOT NULL DEFAULT 'cost';

-- Click enrichment, filled by the click writer's batch (never on the redirect). '' = unknown.
ALTER TABLE clicks
  ADD COLUMN country text NOT NULL DEFAULT '',
  ADD COLUMN device_type text NOT NULL DEFAULT '',
  ADD COLUMN os text NOT NULL DEFAULT '',
  ADD COLUMN browser text NOT NULL DEFAULT '',
  ADD COLUMN referrer_domain text,
  ADD COLUMN visitor_key text,
  ADD COLUMN is_unique boolean NOT NULL DEFAULT true,
  ADD COLUMN cost numeric(18, 6) NOT NULL DEFAULT 0,
  ADD COLUMN cost_missing boolean NOT NULL DEFAULT false;

-- Clicks stored before this migration: the visitor is the hash of IP + User-Agent, as for new clicks without a cookie.
UPDATE clicks SET visitor_key = 'h:' || md5(coalesce(ip, '') || E'\n' || coalesce(user_agent, ''));

UPDATE clicks c SET is_unique = u.is_unique
FROM (
  SELECT id, coalesce(lag(created_at) OVER (PARTITION BY campaign_id, visitor_key ORDER BY created_at, id) < created_at - interval '24 hours', true) AS is_unique
  FROM clicks
) u
WHERE u.id = c.id AND NOT u.is_unique;

CREATE INDEX clicks_visitor ON clicks (campaign_id, visitor_key, created_at);
CREATE INDEX clicks_created ON clicks (created_at);

-- Conversions keep what reports need of their click, so clicks can be dropped by retention
-- (CLICK_RETENTION_DAYS) without losing a conversion or its report figures.
ALTER TABLE conversions DROP CONSTRAINT conversions_click_id_fkey;
ALTER TABLE conversions
  ADD COLUMN click_at timestamptz,
  ADD COLUMN country text NOT NULL DEFAULT '',
  ADD COLUMN device_type text NOT NULL DEFAULT '',
  ADD COLUMN os text NOT NULL DEFAULT '',
  ADD COLUMN browser text NOT NULL DEFAULT '',
  ADD COLUMN sub1 text, ADD COLUMN sub2 text, ADD COLUMN sub3 text, ADD COLUMN sub4 text, ADD COLUMN sub5 text,
  ADD COLUMN sub6 text, ADD COLUMN sub7 text, ADD COLUMN sub8 text, ADD COLUMN sub9 text, ADD COLUMN sub10 text,
  -- cpa cost in the report currency; revshare cost in the conversion's currency. 0 unless approved or pending.
  ADD COLUMN cost numeric(18, 6) NOT NULL DEFAULT 0,
  ADD COLUMN cost_native numeric(18, 6) NOT NULL DEFAULT 0;

UPDATE conversions cv
SET click_at = c.created_at,
    sub1 = c.sub1, sub2 = c.sub2, sub3 = c.sub3, sub4 = c.sub4, sub5 = c.sub5,
    sub6 = c.sub6, sub7 = c.sub7, sub8 = c.sub8, sub9 = c.sub9, sub10 = c.sub10
FROM clicks c WHERE c.id = cv.click_id;
UPDATE conversions SET click_at = created_at WHERE click_at IS NULL;
CREATE INDEX conversions_click_at ON conversions (campaign_id, click_at);

-- Clicks per 15-minute UTC bucket. Offer, traffic source and network come from the campaign
-- (a campaign's offer and source are fixed at creation).
CREATE TABLE click_rollups (
  campaign_id uuid NOT NULL,
  bucket timestamptz NOT NULL,
  country text NOT NULL,
  device_type text NOT NULL,
  os text NOT NULL,
  browser text NOT NULL,
  clicks bigint NOT NULL DEFAULT 0,
  unique_clicks bigint NOT NULL DEFAULT 0,
  cost numeric(24, 6) NOT NULL DEFAULT 0,
  clicks_without_cost bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (campaign_id, bucket, country, device_type, os, browser)
);
CREATE INDEX click_rollups_bucket ON click_rollups (bucket);

INSERT INTO click_rollups (campaign_id, bucket, country, device_type, os, browser, clicks, unique_clicks, cost, clicks_without_cost)
SELECT campaign_id, to_timestamp(floor(extract(epoch FROM created_at) / 900) * 900), country, device_type, os, browser,
       count(*), count(*) FILTER (WHERE is_unique), sum(cost), count(*) FILTER (WHERE cost_missing)
FROM clicks GROUP BY 1, 2, 3, 4, 5, 6;

-- Conversions per click bucket and conversion bucket (one table serves attributeBy=click and
-- attributeBy=conversion), goal and currency. Counts and sums move with every status change.
CREATE TABLE conversion_rollups (
  campaign_id uuid NOT NULL,
  click_bucket timestamptz NOT NULL,
  conversion_bucket timestamptz NOT NULL,
  country text NOT NULL,
  device_type text NOT NULL,
  os text NOT NULL,
  browser text NOT NULL,
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
  PRIMARY KEY (campaign_id, click_bucket, conversion_bucket, country, device_type, os, browser, goal, currency)
);
CREATE INDEX conversion_rollups_click_bucket ON conversion_rollups (click_bucket);
CREATE INDEX conversion_rollups_conversion_bucket ON conversion_rollups (conversion_bucket);

INSERT INTO conversion_rollups (campaign_id, click_bucket, conversion_bucket, country, device_type, os, browser, goal, currency,
                                approved, pending, declined, refunded, payout, approved_payout, sale_amount)
SELECT campaign_id, to_timestamp(floor(extract(epoch FROM click_at) / 900) * 900), to_timestamp(floor(extract(epoch FROM created_at) / 900) * 900),
       country, device_type, os, browser, goal, trim(currency),
       count(*) FILTER (WHERE status = 'approved'), count(*) FILTER (WHERE status = 'pending'),
       count(*) FILTER (WHERE status = 'declined'), count(*) FILTER (WHERE status = 'refunded'),
       coalesce(sum(payout) FILTER (WHERE status IN ('approved', 'pending')), 0),
       coalesce(sum(payout) FILTER (WHERE status = 'approved'), 0),
       coalesce(sum(revenue) FILTER (WHERE status IN ('approved', 'pending')), 0)
FROM conversions GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9;

-- Manual cost corrections: POST /api/campaigns/:id/costs. The latest correction covering a bucket
-- replaces every model cost of the campaign in it; its amount is spread evenly over the clicks of
-- its range, the rounding remainder (in millionths) on the first click by id.
CREATE TABLE cost_corrections (
  id bigserial PRIMARY KEY,
  campaign_id uuid NOT NULL REFERENCES campaigns (id),
  range_from timestamptz NOT NULL,
  range_to timestamptz NOT NULL,
  amount numeric(18, 6) NOT NULL,
  clicks bigint NOT NULL,
  per_click numeric(18, 6) NOT NULL,
  remainder numeric(18, 6) NOT NULL,
  first_click_id text,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Which correction governs each corrected bucket of a campaign.
CREATE TABLE cost_override_buckets (
  campaign_id uuid NOT NULL,
  bucket timestamptz NOT NULL,
  correction_id bigint NOT NULL REFERENCES cost_corrections (id),
  PRIMARY KEY (campaign_id, bucket)
);

-- A correction's amount per click rollup row: what reports use instead of model costs.
CREATE TABLE cost_override_rollups (
  campaign_id uuid NOT NULL,
  bucket timestamptz NOT NULL,
  country text NOT NULL,
  device_type text NOT NULL,
  os text NOT NULL,
  browser text NOT NULL,
  cost numeric(24, 6) NOT NULL,
  PRIMARY KEY (campaign_id, bucket, country, device_type, os, browser)
);

-- Operator-maintained rates: 1 unit of currency = rate units of the report currency, from day on
-- (the latest earlier rate applies).
CREATE TABLE currency_rates (
  currency text NOT NULL,
  day date NOT NULL,
  rate numeric(24, 12) NOT NULL CHECK (rate > 0),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (currency, day)
);
