-- Accounts hardening (issue 23): one canonical e-mail form, API keys that know their creator, listable sessions.

-- E-mail addresses are stored in their canonical form (NFKC, then case-folded; libs/core canonicalEmail) and the
-- unique index is on that form. The SQL below folds what the database's locale knows; at boot the tracker
-- re-folds every stored address with the one JavaScript function (UserRepository.canonicaliseStored).
-- Two accounts whose addresses fold to one would become one account: the upgrade stops and names them.
DO $$ DECLARE clash text; BEGIN SELECT string_agg(emails, '; ') INTO clash FROM (SELECT string_agg(email, ' and ') AS emails FROM users GROUP BY replace(normalize(lower(upper(normalize(btrim(email), NFKC))), NFKC), 'i' || U&'\0307', 'i') HAVING count(*) > 1) c; IF clash IS NOT NULL THEN RAISE EXCEPTION 'These console accounts have the same e-mail address once case and Unicode forms are ignored: %. Change or delete all but one of each (as it was before this upgrade), then start again.', clash; END IF; END $$;

UPDATE users SET email = replace(normalize(lower(upper(normalize(btrim(email), NFKC))), NFKC), 'i' || U&'\0307', 'i');

DROP INDEX users_email_lower;

CREATE UNIQUE INDEX users_email_canonical ON users (email);

-- The user who made a key; NULL for keys made before this column existed and for the ADMIN_API_KEY bootstrap key.
-- A key lives only while its creator is an admin: a demotion or deletion revokes it, or gives it expires_at
-- (API_KEYS_OF_LOST_ADMINS, docs/security.md). The foreign key keeps the creator's id only while the user exists.
ALTER TABLE api_keys ADD COLUMN created_by uuid REFERENCES users (id) ON DELETE SET NULL;

ALTER TABLE api_keys ADD COLUMN created_by_email text;

ALTER TABLE api_keys ADD COLUMN expires_at timestamptz;

CREATE INDEX api_keys_created_by ON api_keys (created_by) WHERE revoked_at IS NULL;

-- What a user is shown of its own sessions, to recognise and end them.
ALTER TABLE sessions ADD COLUMN user_agent text CHECK (length(user_agent) <= 256);
