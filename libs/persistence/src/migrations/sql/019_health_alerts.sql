-- Source health kept by the delivery path, alert webhooks and what a client may see (docs/forwarding.md#source-health).

-- Failed attempts since the source's last success: the "N failures in a row" rule reads it, a success resets it.
ALTER TABLE traffic_sources ADD COLUMN consecutive_failures integer NOT NULL DEFAULT 0;

-- Attempts and failures per source and UTC minute, for the failure ratio over the last 15 minutes. The
-- attempt log writes them; rows older than an hour are deleted by the same statement, so a source keeps
-- at most 60 rows here.
CREATE TABLE traffic_source_attempt_minutes (
  traffic_source_id uuid NOT NULL REFERENCES traffic_sources (id) ON DELETE CASCADE,
  minute timestamptz NOT NULL,
  attempts integer NOT NULL DEFAULT 0,
  failures integer NOT NULL DEFAULT 0,
  PRIMARY KEY (traffic_source_id, minute)
);

-- Where alerts are sent: a generic JSON body or a Slack-compatible {"text": ...}, signed with Standard Webhooks.
CREATE TABLE alert_webhooks (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  url text NOT NULL,
  format text NOT NULL CHECK (format IN ('json', 'slack')),
  -- The whsec_ signing secret, sealed at rest (SecretBox).
  secret_sealed text NOT NULL,
  enabled boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- One row per alert kind and subject: whether it is open now, and when it was last sent (the cool-down).
-- A row moves to open (or back to resolved) with one conditional statement, so of several trackers
-- checking at once only one sees the change and sends it.
CREATE TABLE alert_states (
  kind text NOT NULL,
  subject_id text NOT NULL,
  subject_name text NOT NULL,
  message text NOT NULL,
  open boolean NOT NULL,
  started_at timestamptz NOT NULL,
  resolved_at timestamptz,
  -- Whether this opening was sent (it was outside the cool-down); its resolution is sent only then.
  notified boolean NOT NULL,
  last_sent_at timestamptz,
  PRIMARY KEY (kind, subject_id)
);

-- Every message sent (or tried) to a webhook: the delivery record the console shows.
CREATE TABLE alert_webhook_sends (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  webhook_id uuid NOT NULL REFERENCES alert_webhooks (id) ON DELETE CASCADE,
  event text NOT NULL CHECK (event IN ('fired', 'resolved', 'test')),
  kind text NOT NULL,
  subject_id text NOT NULL,
  status text NOT NULL CHECK (status IN ('sent', 'failed')),
  status_code integer,
  error text,
  sent_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX alert_webhook_sends_webhook ON alert_webhook_sends (webhook_id, id DESC);

-- What a client may see beyond its default view: 'traffic_source' (source names and postback URLs),
-- 'visitor' (IP address and user agent), 'raw_params' (the postback parameters as received).
ALTER TABLE users ADD COLUMN client_sees text[] NOT NULL DEFAULT '{}';
