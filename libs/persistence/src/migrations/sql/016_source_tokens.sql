-- The tokens a traffic source fills into the campaign link at click time, each mapped to a Postwire
-- parameter: [{"target": "external_id" | "cost" | "sub1".."sub10", "macro": "{zoneid}", "label": "zone"}].
ALTER TABLE traffic_sources ADD COLUMN tokens jsonb NOT NULL DEFAULT '[]';
