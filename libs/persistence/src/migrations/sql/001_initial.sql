-- Postwire schema, version 1. Money is numeric(18,6): exact, never a binary float.

CREATE TABLE networks (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL,
  slug text NOT NULL UNIQUE,
  adapter text NOT NULL,
  adapter_config jsonb NOT NULL DEFAULT '{}',
  default_currency char(3) NOT NULL DEFAULT 'USD',
  attribution_window_days integer NOT NULL DEFAULT 30 CHECK (attribution_window_days BETWEEN 1 AND 3650),
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE offers (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL,
  network_id uuid NOT NULL REFERENCES networks (id),
  url text NOT NULL,
  payout numeric(18, 6) CHECK (payout >= 0),
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Per goal of an offer: one conversion per click (default) or many, told apart by txid.
CREATE TABLE offer_goals (
  offer_id uuid NOT NULL REFERENCES offers (id) ON DELETE CASCADE,
  goal text NOT NULL,
  many_per_click boolean NOT NULL DEFAULT false,
  PRIMARY KEY (offer_id, goal)
);

CREATE TABLE traffic_sources (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL,
  postback_url text NOT NULL,
  method text NOT NULL DEFAULT 'GET' CHECK (method IN ('GET', 'POST')),
  forward_pixel boolean NOT NULL DEFAULT false,
  enabled boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE campaigns (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL,
  traffic_source_id uuid NOT NULL REFERENCES traffic_sources (id),
  offer_id uuid NOT NULL REFERENCES offers (id),
  external_id_param text NOT NULL DEFAULT 'external_id',
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE clicks (
  id text PRIMARY KEY,
  campaign_id uuid NOT NULL REFERENCES campaigns (id),
  external_id text,
  sub1 text, sub2 text, sub3 text, sub4 text, sub5 text,
  sub6 text, sub7 text, sub8 text, sub9 text, sub10 text,
  ip text,
  user_agent text,
  created_at timestamptz NOT NULL
);
CREATE INDEX clicks_campaign_created ON clicks (campaign_id, created_at);

CREATE TABLE conversions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  click_id text NOT NULL REFERENCES clicks (id),
  campaign_id uuid NOT NULL REFERENCES campaigns (id),
  network_id uuid NOT NULL REFERENCES networks (id),
  goal text NOT NULL DEFAULT '',
  -- The goal again when that goal allows one conversion per click, NULL when it allows many:
  -- the unique index below then holds "one per click" only where it applies.
  single_key text,
  txid text,
  status text NOT NULL CHECK (status IN ('pending', 'approved', 'declined', 'refunded')),
  payout numeric(18, 6),
  revenue numeric(18, 6),
  currency char(3) NOT NULL,
  source text NOT NULL CHECK (source IN ('pixel', 's2s')),
  pixel_seen boolean NOT NULL DEFAULT false,
  -- Bumped by every change a traffic source may be told about; deliveries are unique per revision.
  revision integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX conversions_network_txid ON conversions (network_id, txid) WHERE txid IS NOT NULL;
CREATE UNIQUE INDEX conversions_click_single ON conversions (click_id, single_key) WHERE single_key IS NOT NULL;
CREATE INDEX conversions_campaign_created ON conversions (campaign_id, created_at);

CREATE TABLE conversion_status_history (
  id bigserial PRIMARY KEY,
  conversion_id uuid NOT NULL REFERENCES conversions (id),
  from_status text,
  to_status text NOT NULL,
  payout_before numeric(18, 6),
  payout_after numeric(18, 6),
  channel text NOT NULL,
  postback_id uuid,
  changed_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX conversion_status_history_conversion ON conversion_status_history (conversion_id, id);

-- Every inbound postback and pixel, whatever became of it.
CREATE TABLE postbacks (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  received_at timestamptz NOT NULL DEFAULT now(),
  channel text NOT NULL CHECK (channel IN ('s2s', 'pixel')),
  network_id uuid REFERENCES networks (id),
  click_id text,
  params jsonb NOT NULL,
  canonical jsonb,
  ip text,
  outcome text NOT NULL CHECK (outcome IN ('accepted', 'duplicate', 'updated', 'ignored', 'rejected', 'unattributed')),
  reason text,
  conversion_id uuid REFERENCES conversions (id),
  attributed_at timestamptz
);
CREATE INDEX postbacks_click ON postbacks (click_id);
CREATE INDEX postbacks_received ON postbacks (received_at);
CREATE INDEX postbacks_unattributed ON postbacks (click_id) WHERE outcome = 'unattributed' AND attributed_at IS NULL;

CREATE TABLE deliveries (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  conversion_id uuid NOT NULL REFERENCES conversions (id),
  traffic_source_id uuid NOT NULL REFERENCES traffic_sources (id),
  revision integer NOT NULL,
  event text NOT NULL,
  method text NOT NULL,
  url text NOT NULL,
  body text,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'dead')),
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  last_status_code integer,
  last_error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  delivered_at timestamptz,
  UNIQUE (conversion_id, traffic_source_id, revision)
);
CREATE INDEX deliveries_due ON deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX deliveries_source_created ON deliveries (traffic_source_id, created_at);

CREATE TABLE delivery_attempts (
  id bigserial PRIMARY KEY,
  delivery_id uuid NOT NULL REFERENCES deliveries (id),
  attempted_at timestamptz NOT NULL DEFAULT now(),
  url text NOT NULL,
  status_code integer,
  latency_ms integer NOT NULL,
  response_snippet text,
  error text
);
CREATE INDEX delivery_attempts_delivery ON delivery_attempts (delivery_id, id);

CREATE TABLE api_keys (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  key_hash text NOT NULL UNIQUE,
  scope text NOT NULL CHECK (scope IN ('admin', 'read', 'network')),
  network_id uuid REFERENCES networks (id),
  label text,
  created_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz
);
