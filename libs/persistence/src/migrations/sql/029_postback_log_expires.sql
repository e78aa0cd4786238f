-- The postback log is partitioned by whether a row expires (docs/storage.md#the-postback-log): rows that
-- booked nothing expire after POSTBACK_LOG_RETENTION_DAYS and live in daily partitions that retention drops;
-- every other row is a conversion's history and lives in one partition that is never dropped. A partition
-- key must be a column, so the rule becomes one: `expires`. Adding it with a constant default rewrites
-- nothing; only the expiring rows (bounded by the retention, found by the index postbacks_expiring) are set.
ALTER TABLE postbacks ADD COLUMN IF NOT EXISTS expires boolean NOT NULL DEFAULT false;
UPDATE postbacks SET expires = true WHERE outcome IN ('unattributed', 'rejected', 'refused') AND conversion_id IS NULL AND NOT expires;
-- The rule itself, so no writer can put a row on the wrong side (a kept row dropped, an expiring one kept
-- for ever). NOT VALID: enforced for every new or updated row from now on without scanning the stored
-- ones at boot; the conversion to partitions (`npm run db:partition`) validates it before the swap.
ALTER TABLE postbacks DROP CONSTRAINT IF EXISTS postbacks_expires_rule;
ALTER TABLE postbacks ADD CONSTRAINT postbacks_expires_rule
  CHECK (expires = (outcome IN ('unattributed', 'rejected', 'refused') AND conversion_id IS NULL)) NOT VALID;
