-- Console accounts, their campaign grants and their server-side sessions.

CREATE TABLE users (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  email text NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
  -- scrypt$N$r$p$salt$hash (base64url), see libs/security/src/password.ts.
  password_hash text NOT NULL,
  role text NOT NULL CHECK (role IN ('admin', 'manager', 'client')),
  -- A client's view without cost, profit and ROI.
  hide_profit boolean NOT NULL DEFAULT false,
  time_zone text NOT NULL DEFAULT 'UTC',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
-- One account per address whatever its case.
CREATE UNIQUE INDEX users_email_lower ON users (lower(email));

-- The campaigns a client may see; admins and managers see all and have none listed.
CREATE TABLE user_campaigns (
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  campaign_id uuid NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
  PRIMARY KEY (user_id, campaign_id)
);

-- Only the sha256 of a session id is stored, so a copy of this table signs nobody in.
CREATE TABLE sessions (
  id_hash text PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  csrf_token text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  revoked_at timestamptz
);
CREATE INDEX sessions_user ON sessions (user_id) WHERE revoked_at IS NULL;
