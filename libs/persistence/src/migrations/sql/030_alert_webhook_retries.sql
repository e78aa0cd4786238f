-- A failed alert send is tried again (docs/forwarding.md#alert-webhooks). The message is kept with the send, so a
-- later attempt repeats it as it was, and `retry_at` says when that attempt is due: null when none is (sent, a test,
-- out of attempts, or taken by a tracker). A newer message about the same alert makes an older failed one moot.
-- message_id: the Standard Webhooks `webhook-id`, the same on every try of one message, so a receiver can drop repeats.
ALTER TABLE alert_webhook_sends ADD COLUMN message_id text;
ALTER TABLE alert_webhook_sends ADD COLUMN subject_name text;
ALTER TABLE alert_webhook_sends ADD COLUMN message text;
ALTER TABLE alert_webhook_sends ADD COLUMN occurred_at timestamptz;
ALTER TABLE alert_webhook_sends ADD COLUMN attempt smallint NOT NULL DEFAULT 1;
ALTER TABLE alert_webhook_sends ADD COLUMN retry_at timestamptz;
CREATE INDEX alert_webhook_sends_retry ON alert_webhook_sends (retry_at) WHERE retry_at IS NOT NULL;
