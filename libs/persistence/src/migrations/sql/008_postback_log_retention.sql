-- Postback-log rows that book nothing (unattributed, including pixel hits naming no known click,
-- and rejected) expire after POSTBACK_LOG_RETENTION_DAYS; the worker deletes them by age. This
-- index keeps that pass to the expiring rows, however much attributed history the table holds.
CREATE INDEX IF NOT EXISTS postbacks_expiring ON postbacks (received_at) WHERE outcome IN ('unattributed', 'rejected') AND conversion_id IS NULL;
