-- Bounded postback log: beyond a few duplicate or ignored rows per click, a further one is not
-- stored as a row of its own; the click's latest such row counts it (batch-writer.ts, LOG_ROWS).
ALTER TABLE postbacks ADD COLUMN IF NOT EXISTS repeats integer NOT NULL DEFAULT 0;
