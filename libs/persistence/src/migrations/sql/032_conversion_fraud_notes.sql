-- What did not run when a conversion was scored, for its trace: a scorer plugin that timed out, failed or
-- was unavailable ("scorer ip-reputation timed out after 300 ms"). Null when everything answered.
ALTER TABLE conversion_fraud ADD COLUMN notes jsonb;
