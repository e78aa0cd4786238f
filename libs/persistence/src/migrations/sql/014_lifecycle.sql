-- Lifecycle of the catalog and of accounts (docs/lifecycle.md): edits checked against a version, pause and
-- resume, archive and restore, tags, and one audit log of every change.

-- `version` is bumped by every change; a PATCH names the version it was made from and a stale one is refused
-- (409 version_conflict), so a colleague's change is never overwritten unseen.
ALTER TABLE networks ADD COLUMN version integer NOT NULL DEFAULT 1;
ALTER TABLE networks ADD COLUMN tags text[] NOT NULL DEFAULT '{}';
-- A paused network's postbacks are still taken (its money is real); the deliveries they cause wait for the resume.
ALTER TABLE networks ADD COLUMN paused_at timestamptz;
-- Archived: out of lists and pickers by default; its data and reports stay.
ALTER TABLE networks ADD COLUMN archived_at timestamptz;

ALTER TABLE offers ADD COLUMN version integer NOT NULL DEFAULT 1;
ALTER TABLE offers ADD COLUMN tags text[] NOT NULL DEFAULT '{}';
ALTER TABLE offers ADD COLUMN archived_at timestamptz;

ALTER TABLE traffic_sources ADD COLUMN version integer NOT NULL DEFAULT 1;
ALTER TABLE traffic_sources ADD COLUMN tags text[] NOT NULL DEFAULT '{}';
-- Unlike `enabled = false` (deliveries end as dead), a paused source's deliveries wait, and go out on resume.
ALTER TABLE traffic_sources ADD COLUMN paused_at timestamptz;
ALTER TABLE traffic_sources ADD COLUMN archived_at timestamptz;

ALTER TABLE campaigns ADD COLUMN version integer NOT NULL DEFAULT 1;
ALTER TABLE campaigns ADD COLUMN tags text[] NOT NULL DEFAULT '{}';
-- A paused (or archived) campaign's link still answers: a redirect to paused_url, else PAUSED_CAMPAIGN_URL.
ALTER TABLE campaigns ADD COLUMN paused_at timestamptz;
ALTER TABLE campaigns ADD COLUMN archived_at timestamptz;
ALTER TABLE campaigns ADD COLUMN paused_url text;

ALTER TABLE users ADD COLUMN version integer NOT NULL DEFAULT 1;
ALTER TABLE users ADD COLUMN name text CHECK (length(name) <= 200);
-- A disabled user cannot sign in and has no session; enabling it again restores the account as it was.
ALTER TABLE users ADD COLUMN disabled_at timestamptz;

ALTER TABLE api_keys ADD COLUMN version integer NOT NULL DEFAULT 1;
-- A disabled key is refused like a revoked one, but can be enabled again; a revoked key cannot.
ALTER TABLE api_keys ADD COLUMN disabled_at timestamptz;

-- A click on a paused campaign: stored (the traffic is real) but left out of the campaign's report traffic and
-- rollups, and counted apart (`pausedClicks`).
ALTER TABLE clicks ADD COLUMN paused boolean NOT NULL DEFAULT false;
CREATE INDEX clicks_paused ON clicks (campaign_id) WHERE paused;

-- Every change made through the API or the console: who (a user or an API key), when, what, before and after
-- (as the API shows them, secrets masked). Written in the transaction of the change it records.
CREATE TABLE audit_log (
  id bigserial PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT now(),
  actor_type text NOT NULL CHECK (actor_type IN ('user', 'api_key', 'system')),
  actor_id text,
  actor_label text,
  entity_type text NOT NULL,
  entity_id text NOT NULL,
  action text NOT NULL,
  before jsonb,
  after jsonb
);
CREATE INDEX audit_log_entity ON audit_log (entity_type, entity_id, id);
CREATE INDEX audit_log_at ON audit_log (at, id);
CREATE INDEX audit_log_actor ON audit_log (actor_id, id);
