-- Refused postbacks in the postback log (issue 21): a request a guard, a parameter check or a rate limit
-- refused is a row too, with outcome `refused`, so "where is my conversion?" can be answered in the console.
ALTER TABLE postbacks DROP CONSTRAINT IF EXISTS postbacks_outcome_check;
ALTER TABLE postbacks ADD CONSTRAINT postbacks_outcome_check
  CHECK (outcome IN ('accepted', 'duplicate', 'updated', 'ignored', 'rejected', 'unattributed', 'refused'));

-- The closed reason the log is filtered by (POSTBACK_REASONS in libs/core); `reason` keeps the detail.
ALTER TABLE postbacks ADD COLUMN IF NOT EXISTS reason_code text;
-- What the sender was answered and what it asked, for refused rows (recorded rows got the adapter's 2xx answer).
ALTER TABLE postbacks ADD COLUMN IF NOT EXISTS http_status smallint;
ALTER TABLE postbacks ADD COLUMN IF NOT EXISTS method text;
ALTER TABLE postbacks ADD COLUMN IF NOT EXISTS path text;

-- Rows stored before this migration, by the rules of recordedReasonOf (libs/core/src/conversion/postback-reason.ts).
UPDATE postbacks SET reason_code = CASE
  WHEN is_test THEN 'test'
  WHEN outcome = 'unattributed' AND reason = 'no_click_id' THEN 'no_click_id'
  WHEN outcome = 'unattributed' THEN 'unknown_click'
  WHEN outcome = 'rejected' AND reason IN ('network_mismatch', 'outside_window') THEN reason
  WHEN outcome = 'rejected' THEN 'txid_conflict'
  ELSE outcome END
WHERE reason_code IS NULL;

-- Filters of GET /api/postbacks besides time (postbacks_received) and click (postbacks_click).
CREATE INDEX IF NOT EXISTS postbacks_reason_received ON postbacks (reason_code, received_at);
CREATE INDEX IF NOT EXISTS postbacks_network_received ON postbacks (network_id, received_at);
CREATE INDEX IF NOT EXISTS postbacks_txid ON postbacks ((canonical ->> 'txid')) WHERE canonical ->> 'txid' IS NOT NULL;
-- The flood bound reads how many refusals an address had this minute (and the list searches by address);
-- retention deletes refused rows by age.
CREATE INDEX IF NOT EXISTS postbacks_ip_received ON postbacks (ip, received_at);
DROP INDEX IF EXISTS postbacks_expiring;
CREATE INDEX IF NOT EXISTS postbacks_expiring ON postbacks (received_at)
  WHERE outcome IN ('unattributed', 'rejected', 'refused') AND conversion_id IS NULL;

-- Refusals beyond POSTBACK_LOG_REFUSALS_PER_IP_PER_MIN from one address in one minute: counted here, one row
-- per address, minute and reason, instead of one log row each. Retention deletes them with the refused rows.
CREATE TABLE IF NOT EXISTS postback_refusals_counted (
  minute timestamptz NOT NULL,
  ip text NOT NULL,
  reason_code text NOT NULL,
  count integer NOT NULL,
  PRIMARY KEY (minute, ip, reason_code)
);
