-- Forwarding targets (docs/forwarding.md#targets).
-- The ad-platform click identifiers (fbclid, _fbc, _fbp, gclid, gbraid, wbraid, ttclid, _ttp) and the landing page
-- URL a campaign link brought, only those present (NULL when none: the common click pays one NULL). Cleared after
-- the longest platform window (90 days, Google Ads) by the worker, whatever CLICK_RETENTION_DAYS keeps.
ALTER TABLE clicks ADD COLUMN ad_ids jsonb;

-- A traffic source's target: the built-in postback URL (its URL template, as before) or a target plugin, with
-- the plugin's settings (secret fields sealed like other credentials) and its event mapping rules.
ALTER TABLE traffic_sources ADD COLUMN target_id text NOT NULL DEFAULT 'postback-url';
ALTER TABLE traffic_sources ADD COLUMN target_config jsonb NOT NULL DEFAULT '{}';
ALTER TABLE traffic_sources ADD COLUMN target_mapping jsonb NOT NULL DEFAULT '[]';

-- A delivery to a target plugin is built when it is sent (NULL: the postback URL, rendered by the recorder).
-- personal_hashes: the SHA-256 digests of the email/phone/external id the network sent (never the raw values).
-- target_event: the platform event last built; alert: the platform refused the credentials (shown in the console).
ALTER TABLE deliveries ADD COLUMN target_id text;
ALTER TABLE deliveries ADD COLUMN personal_hashes jsonb;
ALTER TABLE deliveries ADD COLUMN target_event text;
ALTER TABLE deliveries ADD COLUMN alert boolean NOT NULL DEFAULT false;

-- "Not sent" (the mapping drops the event, too old, no click identifier) is an outcome of its own, not a failure.
ALTER TABLE deliveries DROP CONSTRAINT deliveries_status_check;
ALTER TABLE deliveries ADD CONSTRAINT deliveries_status_check CHECK (status IN ('pending', 'delivered', 'dead', 'not_sent'));
