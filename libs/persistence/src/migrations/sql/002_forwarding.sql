-- Forwarding, version 2: per traffic source settings, signing secrets, and what the delivery log needs.

-- NULL goals / statuses mean "every goal" / "every status"; an empty array forwards nothing.
ALTER TABLE traffic_sources ADD COLUMN body_format text NOT NULL DEFAULT 'json' CHECK (body_format IN ('json', 'form'));
ALTER TABLE traffic_sources ADD COLUMN goals text[];
ALTER TABLE traffic_sources ADD COLUMN statuses text[] CHECK (statuses <@ ARRAY['pending', 'approved', 'declined', 'refunded']::text[]);
-- NULL share: the whole payout is passed on.
ALTER TABLE traffic_sources ADD COLUMN payout_share_type text CHECK (payout_share_type IN ('percent', 'fixed'));
ALTER TABLE traffic_sources ADD COLUMN payout_share_value numeric(18, 6) CHECK (payout_share_value >= 0);
ALTER TABLE traffic_sources ADD COLUMN payout_share_currency char(3);
ALTER TABLE traffic_sources ADD COLUMN headers jsonb NOT NULL DEFAULT '{}';
-- NULL timeout / schedule: the deployment's FORWARD_TIMEOUT_MS / FORWARD_RETRY_SCHEDULE.
ALTER TABLE traffic_sources ADD COLUMN timeout_ms integer CHECK (timeout_ms BETWEEN 100 AND 120000);
ALTER TABLE traffic_sources ADD COLUMN retry_schedule_ms integer[];
-- Set by the first failed attempt after a success, cleared by the next success: written only on
-- those transitions, so a busy source's row is not rewritten by every attempt.
ALTER TABLE traffic_sources ADD COLUMN failing_since timestamptz;
ALTER TABLE traffic_sources ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();

-- Standard Webhooks signing secrets, sealed with SECRETS_KEY; several may be active during a rotation.
CREATE TABLE traffic_source_secrets (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  traffic_source_id uuid NOT NULL REFERENCES traffic_sources (id),
  sealed text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz
);
CREATE INDEX traffic_source_secrets_active ON traffic_source_secrets (traffic_source_id, created_at) WHERE revoked_at IS NULL;

-- Extra request headers (content type and the source's own headers), rendered with url and body.
ALTER TABLE deliveries ADD COLUMN headers jsonb NOT NULL DEFAULT '{}';
-- The macro values of the event, so a re-send can be rendered again with the source's current settings.
ALTER TABLE deliveries ADD COLUMN macro_values jsonb;
-- Attempts since the delivery was (re)started; the retry schedule counts these, the log counts all.
ALTER TABLE deliveries ADD COLUMN round_attempts integer NOT NULL DEFAULT 0;
-- A worker's claim while it sends, so two jobs for one delivery (stalled lock, flushed Redis) never send at once.
ALTER TABLE deliveries ADD COLUMN locked_until timestamptz;
UPDATE deliveries SET round_attempts = attempts;
CREATE INDEX deliveries_dead ON deliveries (traffic_source_id) WHERE status = 'dead';
