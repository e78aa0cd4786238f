-- The fraud counts of the click side (026) in the sub-id value rollups (027) too, so a report by one sub id over
-- all campaigns shows suspicious and bot clicks like every other report. Buckets compacted before this have no
-- such counts: their marks go, and the tracker's background job compacts every day and week again, reports
-- reading sub_click_rollups (which has the counts) meanwhile.
ALTER TABLE sub_value_rollups ADD COLUMN suspicious_clicks bigint NOT NULL DEFAULT 0;
ALTER TABLE sub_value_rollups ADD COLUMN bot_clicks bigint NOT NULL DEFAULT 0;
DELETE FROM sub_value_buckets;
