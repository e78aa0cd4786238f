-- Traffic-source presets: which outbound format a source was made from, and the words its
-- postbacks use for each Postwire status (NULL: Postwire's own words).
ALTER TABLE traffic_sources ADD COLUMN preset text;
ALTER TABLE traffic_sources ADD COLUMN status_map jsonb;
