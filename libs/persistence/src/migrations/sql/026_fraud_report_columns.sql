-- Fraud report columns (docs/fraud.md#in-reports): suspicious and bot clicks, held and rejected-as-fraud
-- conversions, summed in every rollup as the other figures are, and a rollup per reason for reports
-- grouped by fraud reason. The sums are named in libs/core/src/reports/report-columns.ts (SUM_SQL).

-- Whether the click's score reached its policy's flag score when it was scored: the policy may change
-- later, the click stays counted as it was judged. Null for clicks not scored.
ALTER TABLE clicks ADD COLUMN fraud_suspicious boolean;

ALTER TABLE click_rollups ADD COLUMN suspicious_clicks bigint NOT NULL DEFAULT 0;
ALTER TABLE click_rollups ADD COLUMN bot_clicks bigint NOT NULL DEFAULT 0;
ALTER TABLE click_totals ADD COLUMN suspicious_clicks bigint NOT NULL DEFAULT 0;
ALTER TABLE click_totals ADD COLUMN bot_clicks bigint NOT NULL DEFAULT 0;
ALTER TABLE sub_click_rollups ADD COLUMN suspicious_clicks bigint NOT NULL DEFAULT 0;
ALTER TABLE sub_click_rollups ADD COLUMN bot_clicks bigint NOT NULL DEFAULT 0;
ALTER TABLE conversion_rollups ADD COLUMN held bigint NOT NULL DEFAULT 0;
ALTER TABLE conversion_rollups ADD COLUMN fraud_rejected bigint NOT NULL DEFAULT 0;
ALTER TABLE conversion_totals ADD COLUMN held bigint NOT NULL DEFAULT 0;
ALTER TABLE conversion_totals ADD COLUMN fraud_rejected bigint NOT NULL DEFAULT 0;

-- Per campaign, 15-minute bucket and fired reason: a click or conversion with several reasons is in
-- one row per reason. Only scored traffic with a fired reason is here, so the tables stay small
-- next to the rollups they sit beside.
CREATE TABLE fraud_reason_click_rollups (
  campaign_id uuid NOT NULL,
  bucket timestamptz NOT NULL,
  reason text NOT NULL,
  clicks bigint NOT NULL DEFAULT 0,
  suspicious_clicks bigint NOT NULL DEFAULT 0,
  bot_clicks bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (campaign_id, bucket, reason)
);
CREATE INDEX fraud_reason_click_rollups_bucket ON fraud_reason_click_rollups (bucket);
CREATE TABLE fraud_reason_conversion_rollups (
  campaign_id uuid NOT NULL,
  click_bucket timestamptz NOT NULL,
  conversion_bucket timestamptz NOT NULL,
  reason text NOT NULL,
  approved bigint NOT NULL DEFAULT 0,
  pending bigint NOT NULL DEFAULT 0,
  declined bigint NOT NULL DEFAULT 0,
  refunded bigint NOT NULL DEFAULT 0,
  held bigint NOT NULL DEFAULT 0,
  fraud_rejected bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (campaign_id, click_bucket, conversion_bucket, reason)
);
CREATE INDEX fraud_reason_conversion_rollups_click ON fraud_reason_conversion_rollups (click_bucket);
CREATE INDEX fraud_reason_conversion_rollups_conversion ON fraud_reason_conversion_rollups (conversion_bucket);

-- Existing conversions: their assessments are one small table (conversion_fraud), so the counts are
-- backfilled. Clicks scored before this migration are not (that would read every stored click at
-- boot): they count as neither suspicious nor bots; rebuildReportRollups recounts a range on demand.
UPDATE conversion_rollups r SET held = x.held, fraud_rejected = x.fraud_rejected
FROM (SELECT cv.campaign_id, to_timestamp(floor(extract(epoch FROM cv.click_at) / 900) * 900) AS click_bucket,
             to_timestamp(floor(extract(epoch FROM cv.created_at) / 900) * 900) AS conversion_bucket,
             cv.country, cv.device_type, cv.os, cv.browser, cv.goal, trim(cv.currency) AS currency,
             count(*) FILTER (WHERE f.hold_state = 'held') AS held, count(*) FILTER (WHERE f.hold_state = 'rejected') AS fraud_rejected
      FROM conversion_fraud f JOIN conversions cv ON cv.id = f.conversion_id WHERE NOT cv.is_test
      GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9) x
WHERE r.campaign_id = x.campaign_id AND r.click_bucket = x.click_bucket AND r.conversion_bucket = x.conversion_bucket AND r.country = x.country
  AND r.device_type = x.device_type AND r.os = x.os AND r.browser = x.browser AND r.goal = x.goal AND r.currency = x.currency;

UPDATE conversion_totals r SET held = x.held, fraud_rejected = x.fraud_rejected
FROM (SELECT b.basis, g.grain,
             to_timestamp(floor(extract(epoch FROM CASE b.basis WHEN 'click' THEN cv.click_at ELSE cv.created_at END) / g.grain) * g.grain) AS bucket,
             cv.campaign_id, (cv.created_at AT TIME ZONE 'UTC')::date AS conversion_day, cv.goal, trim(cv.currency) AS currency,
             count(*) FILTER (WHERE f.hold_state = 'held') AS held, count(*) FILTER (WHERE f.hold_state = 'rejected') AS fraud_rejected
      FROM conversion_fraud f JOIN conversions cv ON cv.id = f.conversion_id
      CROSS JOIN (VALUES ('click'), ('conversion')) AS b(basis) CROSS JOIN (VALUES (900), (3600), (86400)) AS g(grain)
      WHERE NOT cv.is_test
      GROUP BY 1, 2, 3, 4, 5, 6, 7) x
WHERE r.basis = x.basis AND r.grain = x.grain AND r.bucket = x.bucket AND r.campaign_id = x.campaign_id
  AND r.conversion_day = x.conversion_day AND r.goal = x.goal AND r.currency = x.currency;

INSERT INTO fraud_reason_conversion_rollups (campaign_id, click_bucket, conversion_bucket, reason, approved, pending, declined, refunded, held, fraud_rejected)
SELECT cv.campaign_id, to_timestamp(floor(extract(epoch FROM cv.click_at) / 900) * 900), to_timestamp(floor(extract(epoch FROM cv.created_at) / 900) * 900),
       s.signal->>'code',
       count(*) FILTER (WHERE cv.status = 'approved'), count(*) FILTER (WHERE cv.status = 'pending'),
       count(*) FILTER (WHERE cv.status = 'declined'), count(*) FILTER (WHERE cv.status = 'refunded'),
       count(*) FILTER (WHERE f.hold_state = 'held'), count(*) FILTER (WHERE f.hold_state = 'rejected')
FROM conversion_fraud f JOIN conversions cv ON cv.id = f.conversion_id
CROSS JOIN LATERAL jsonb_array_elements(f.signals) AS s(signal)
WHERE NOT cv.is_test AND (s.signal->>'fired')::boolean
GROUP BY 1, 2, 3, 4;
