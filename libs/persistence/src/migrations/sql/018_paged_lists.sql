-- Paged lists (docs/storage.md, "Paged lists"): the conversions and delivery logs are read newest first,
-- a page at a time, each page with its total counted over at most 100,001 rows. Without an index on the
-- creation time, the first page of an unfiltered list sorted the whole table, and a filter on the click,
-- network or status scanned it. Each index below serves one filter in the list's order (created_at, id),
-- so a page reads only its own rows and the count reads index entries only.
CREATE INDEX conversions_created ON conversions (created_at, id);
-- The existing (click_id, single_key) index holds only goals limited to one conversion per click.
CREATE INDEX conversions_click ON conversions (click_id);
CREATE INDEX conversions_network_created ON conversions (network_id, created_at);
CREATE INDEX conversions_status_created ON conversions (status, created_at);
CREATE INDEX deliveries_created ON deliveries (created_at, id);
CREATE INDEX deliveries_status_created ON deliveries (status, created_at);
