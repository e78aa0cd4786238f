-- Conversion figures beside the sub-id value rollups (027), so a report by one sub id over all campaigns,
-- conversions counted at their click's time (the default), reads no raw conversions for the days and
-- weeks that are compacted: per sub id, UTC day or ISO week of the click, and value, the figures of the
-- conversions of that bucket's clicks (test conversions never count). A table of their own, not columns
-- of sub_value_rollups: only values with conversions have a row (1.5 % of clicks convert), so the click
-- rows stay as narrow as they were (a report reads a million of them), and a bucket's conversions
-- (which keep coming for days after its clicks) are written again without touching its click rows.
-- Money is kept in the conversions' own currency; a bucket is used for a report only when all its
-- conversions are in the report's currency (`conversion_currencies` below), the other reports read its
-- conversions raw, as before.
CREATE TABLE sub_value_conversions (
  sub smallint NOT NULL CHECK (sub BETWEEN 1 AND 10),
  grain integer NOT NULL CHECK (grain IN (86400, 604800)),
  bucket timestamptz NOT NULL,
  value text NOT NULL,
  approved bigint NOT NULL DEFAULT 0,
  pending bigint NOT NULL DEFAULT 0,
  declined bigint NOT NULL DEFAULT 0,
  refunded bigint NOT NULL DEFAULT 0,
  payout numeric(24, 6) NOT NULL DEFAULT 0,
  approved_payout numeric(24, 6) NOT NULL DEFAULT 0,
  declined_payout numeric(24, 6) NOT NULL DEFAULT 0,
  refunded_payout numeric(24, 6) NOT NULL DEFAULT 0,
  sale_amount numeric(24, 6) NOT NULL DEFAULT 0,
  cost numeric(24, 6) NOT NULL DEFAULT 0,
  cost_native numeric(24, 6) NOT NULL DEFAULT 0,
  held bigint NOT NULL DEFAULT 0,
  fraud_rejected bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (sub, grain, bucket, value)
);

-- How a compacted bucket's conversion figures are known to be current: every write that moves a
-- conversion's report figures (a new or late conversion, a status change, a fraud hold, release or
-- rejection, a re-score, a reattribution, a new price) moves conversion_totals' rows of its click's day,
-- and each such row counts its writes here (1 when inserted, +1 on every update). The counts only grow,
-- so the sum over a bucket's days equals the one written with the bucket exactly while nothing changed
-- there: a bucket check reads ~100 rows a day, never the conversions.
ALTER TABLE conversion_totals ADD COLUMN changes bigint NOT NULL DEFAULT 1;

-- (The body on one line: the migrator splits statements at a `;` that ends a line.)
CREATE FUNCTION conversion_totals_count_change() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.changes := OLD.changes + 1; RETURN NEW; END $$;

-- Only the rows the value rollups compare (click basis, day grain): the other rows need no count.
CREATE TRIGGER conversion_totals_count_change BEFORE UPDATE ON conversion_totals
  FOR EACH ROW WHEN (OLD.basis = 'click' AND OLD.grain = 86400) EXECUTE FUNCTION conversion_totals_count_change();

-- The conversion side of a bucket's mark: the sum of `changes` when it was written (null: written
-- before this migration, without conversion figures; the job writes those again, reports read their
-- conversions raw meanwhile and keep their click figures), and the currencies of its conversions.
ALTER TABLE sub_value_buckets
  ADD COLUMN conversion_changes bigint,
  ADD COLUMN conversion_currencies text[] NOT NULL DEFAULT '{}';
