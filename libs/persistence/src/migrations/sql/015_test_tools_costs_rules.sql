-- Safe test tools, cost history and per-campaign forwarding rules (issue 20 §2, §3, §5).

-- A test conversion (the console's "Send test postback") is kept apart: never in reports, rollups or
-- alerts, and forwarded only when the operator asked for it. Its postback log line and its deliveries
-- are marked too, so the logs can show or hide test items.
ALTER TABLE conversions ADD COLUMN is_test boolean NOT NULL DEFAULT false;
ALTER TABLE postbacks ADD COLUMN is_test boolean NOT NULL DEFAULT false;
ALTER TABLE deliveries ADD COLUMN is_test boolean NOT NULL DEFAULT false;
-- A test delivery sent from a traffic source's page has no conversion behind it.
ALTER TABLE deliveries ALTER COLUMN conversion_id DROP NOT NULL;
ALTER TABLE deliveries ADD CONSTRAINT deliveries_conversion_or_test CHECK (conversion_id IS NOT NULL OR is_test);
-- A campaign override's retry schedule, fixed when the delivery is written (NULL: the source's).
ALTER TABLE deliveries ADD COLUMN retry_schedule_ms integer[];

-- Cost history: who set a correction, and what was entered (a total or a per-click amount, in a
-- currency) before it was turned into the report-currency total the correction stores.
ALTER TABLE cost_corrections ADD COLUMN set_by text;
ALTER TABLE cost_corrections ADD COLUMN entered_mode text NOT NULL DEFAULT 'total' CHECK (entered_mode IN ('total', 'per_click'));
ALTER TABLE cost_corrections ADD COLUMN entered_value numeric(18, 6);
ALTER TABLE cost_corrections ADD COLUMN entered_currency char(3);
ALTER TABLE cost_corrections ADD COLUMN replaced_cost numeric(24, 6);

-- A campaign's own forwarding rules, over its traffic source's: each NULL column means "as the source".
CREATE TABLE campaign_forwarding_rules (
  campaign_id uuid PRIMARY KEY REFERENCES campaigns (id),
  goals text[],
  statuses text[] CHECK (statuses <@ ARRAY['pending', 'approved', 'declined', 'refunded']::text[]),
  payout_share_type text CHECK (payout_share_type IN ('percent', 'fixed')),
  payout_share_value numeric(18, 6) CHECK (payout_share_value >= 0),
  payout_share_currency char(3),
  retry_schedule_ms integer[],
  updated_at timestamptz NOT NULL DEFAULT now()
);
