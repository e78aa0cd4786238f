-- Fraud policies (docs/fraud.md): what a campaign or an offer does with suspected traffic. A stored policy
-- names only what it changes from the defaults; a campaign's policy wins over its offer's.
CREATE TABLE campaign_fraud_policies (
  campaign_id uuid PRIMARY KEY REFERENCES campaigns (id),
  policy jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE offer_fraud_policies (
  offer_id uuid PRIMARY KEY REFERENCES offers (id),
  policy jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Every conversion's fraud assessment at intake: its score, verdict, every signal that ran (code, fired,
-- value, threshold, weight), and the hold and its review. A held conversion is not forwarded until released.
CREATE TABLE conversion_fraud (
  conversion_id uuid PRIMARY KEY REFERENCES conversions (id),
  campaign_id uuid NOT NULL,
  score smallint NOT NULL CHECK (score BETWEEN 0 AND 100),
  verdict text NOT NULL CHECK (verdict IN ('allow', 'flag', 'hold', 'reject', 'dont_forward')),
  signals jsonb NOT NULL,
  hold_state text CHECK (hold_state IN ('held', 'released', 'rejected')),
  held_until timestamptz,
  -- What an expired hold becomes (the policy's rule when the conversion was held).
  hold_expiry text CHECK (hold_expiry IN ('release', 'reject')),
  decided_by text,
  decided_at timestamptz,
  scored_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX conversion_fraud_held ON conversion_fraud (held_until) WHERE hold_state = 'held';
CREATE INDEX conversion_fraud_campaign ON conversion_fraud (campaign_id, scored_at);

-- Clicks are scored in the writer's batch: the score and the fired reason codes (the full signals are for conversions).
ALTER TABLE clicks ADD COLUMN fraud_score smallint;
ALTER TABLE clicks ADD COLUMN fraud_reasons text[];
