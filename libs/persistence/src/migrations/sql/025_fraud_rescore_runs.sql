-- Re-score runs (docs/fraud.md#re-scoring): an operator scores a date range of clicks and conversions again
-- under today's policies. A dry run only reports what would change; an applied run writes new scores and
-- reasons. Each run records who asked, the range and scope, the policies it used, and its counts.
CREATE TABLE fraud_rescore_runs (
  id uuid PRIMARY KEY,
  requested_by text NOT NULL,
  dry_run boolean NOT NULL,
  send_status_updates boolean NOT NULL DEFAULT false,
  range_from timestamptz NOT NULL,
  range_to timestamptz NOT NULL,
  campaign_id uuid,
  offer_id uuid,
  -- The effective policy of every campaign in scope when the run started, by campaign id.
  policy_snapshot jsonb NOT NULL,
  state text NOT NULL CHECK (state IN ('running', 'done', 'failed')),
  -- Counts so far (clicks and conversions scanned and changed, payout moved), then the final result.
  progress jsonb NOT NULL,
  error text,
  started_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz
);
CREATE INDEX fraud_rescore_runs_started ON fraud_rescore_runs (started_at);

-- Which applied run last changed a conversion's assessment, and when; NULL: as scored at intake.
ALTER TABLE conversion_fraud ADD COLUMN rescored_by uuid;
ALTER TABLE conversion_fraud ADD COLUMN rescored_at timestamptz;
