-- Saved reports (docs/reports.md#saved-reports): a user's named report views. `query` is the report's
-- state as the console keeps it in its URL (range, zone, grouping, filters, sort, columns, comparison),
-- so opening one is opening that URL. A user sees and changes only their own; they go with the user.
CREATE TABLE saved_reports (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  query text NOT NULL CHECK (length(query) <= 4000),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
-- One name per user whatever its case; also the index a user's list reads.
CREATE UNIQUE INDEX saved_reports_user_name ON saved_reports (user_id, lower(name));
