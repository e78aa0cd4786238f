-- Bounded postback log (issue 23). Beyond a few duplicate or ignored rows per click, a further one is
-- not stored as a row of its own; the click's latest such row counts it (batch-writer.ts, LOG_CTES).
ALTER TABLE postbacks ADD COLUMN IF NOT EXISTS repeats integer NOT NULL DEFAULT 0;

-- What the postback log took per UTC day: bytes of the rows stored, and the rows left out because the
-- day's cap (POSTBACK_LOG_MAX_MB_PER_DAY) was reached. The alert reads it; the writer checks the cap against it.
CREATE TABLE IF NOT EXISTS postback_log_days (
  day date PRIMARY KEY,
  bytes bigint NOT NULL DEFAULT 0,
  stored bigint NOT NULL DEFAULT 0,
  dropped bigint NOT NULL DEFAULT 0
);
