-- An offer can be paused like a campaign (docs/lifecycle.md): an advertiser caps or stops an offer, and the
-- operator stops its traffic in one place. A click on a campaign whose offer is paused is handled as a click on a
-- paused campaign (stored as `clicks.paused`, counted apart, sent to the campaign's paused_url or
-- PAUSED_CAMPAIGN_URL); postbacks for its clicks are still taken (the money is real).
ALTER TABLE offers ADD COLUMN paused_at timestamptz;
