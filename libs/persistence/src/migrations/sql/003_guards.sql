-- Fraud guards per network, the secrets networks sign with, and adapter secrets sealed at rest.

-- {"ipAllowlist": ["203.0.113.0/24"], "requireApiKey": true, "requireSignature": true}; {} guards nothing.
ALTER TABLE networks ADD COLUMN guards jsonb NOT NULL DEFAULT '{}';

-- Adapter settings whose schema says `secret: true`, each sealed with SecretBox ("v1:…"). They are kept
-- out of adapter_config so nothing that reads or returns a network row can hand them out by mistake.
ALTER TABLE networks ADD COLUMN adapter_secrets jsonb NOT NULL DEFAULT '{}';

-- HMAC secrets a network signs postbacks with; several active at once during a rotation.
CREATE TABLE network_signing_secrets (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  network_id uuid NOT NULL REFERENCES networks (id),
  sealed text NOT NULL,
  label text,
  created_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz
);
CREATE INDEX network_signing_secrets_active ON network_signing_secrets (network_id) WHERE revoked_at IS NULL;

-- A network key without its network would be a key for nothing; an admin key tied to a network would be ambiguous.
ALTER TABLE api_keys ADD CONSTRAINT api_keys_network_scope CHECK ((scope = 'network') = (network_id IS NOT NULL));
CREATE INDEX api_keys_network ON api_keys (network_id) WHERE network_id IS NOT NULL;
