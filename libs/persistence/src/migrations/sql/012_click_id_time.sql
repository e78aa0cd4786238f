-- Clicks are partitioned by created_at (docs/storage.md). A click id starts with its creation time: 10
-- characters of Crockford base32 milliseconds (libs/core click-id.ts, clickIdTime), and a stored click's
-- created_at is that same millisecond. Lookups of clicks by id bound created_at with this function, so
-- each reads the one partition that can hold the click instead of every partition. NULL for a text that
-- is not a click id: such a lookup finds nothing. One expression (no subquery), so PostgreSQL inlines it.
CREATE FUNCTION click_id_time(id text) RETURNS timestamptz
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$
  SELECT CASE WHEN id ~ '^[0-9a-hjkmnp-tv-z]{30}$' THEN to_timestamp(((((((((((strpos('0123456789abcdefghjkmnpqrstvwxyz', substr(id, 1, 1)) - 1)::bigint * 32 + strpos('0123456789abcdefghjkmnpqrstvwxyz', substr(id, 2, 1)) - 1) * 32 + strpos('0123456789abcdefghjkmnpqrstvwxyz', substr(id, 3, 1)) - 1) * 32 + strpos('0123456789abcdefghjkmnpqrstvwxyz', substr(id, 4, 1)) - 1) * 32 + strpos('0123456789abcdefghjkmnpqrstvwxyz', substr(id, 5, 1)) - 1) * 32 + strpos('0123456789abcdefghjkmnpqrstvwxyz', substr(id, 6, 1)) - 1) * 32 + strpos('0123456789abcdefghjkmnpqrstvwxyz', substr(id, 7, 1)) - 1) * 32 + strpos('0123456789abcdefghjkmnpqrstvwxyz', substr(id, 8, 1)) - 1) * 32 + strpos('0123456789abcdefghjkmnpqrstvwxyz', substr(id, 9, 1)) - 1) * 32 + strpos('0123456789abcdefghjkmnpqrstvwxyz', substr(id, 10, 1)) - 1)::numeric / 1000) END
$$;
