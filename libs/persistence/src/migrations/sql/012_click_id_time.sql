-- Clicks are partitioned by created_at (docs/storage.md). A click id starts with its creation time: 10
-- characters of Crockford base32 milliseconds (libs/core click-id.ts, clickIdTime), and a stored click's
-- created_at is that same millisecond. Joins that look clicks up by id bound created_at with this
-- function, so each lookup reads the one partition that can hold the click instead of every partition.
-- NULL for a text that is not a click id: such a lookup finds nothing.
CREATE FUNCTION click_id_time(id text) RETURNS timestamptz
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$
  SELECT CASE WHEN id ~ '^[0-9a-hjkmnp-tv-z]{30}$' THEN
    to_timestamp((SELECT sum((strpos('0123456789abcdefghjkmnpqrstvwxyz', substr(id, i, 1)) - 1)::numeric * 32::numeric ^ (10 - i))
                  FROM generate_series(1, 10) AS i) / 1000)
  END
$$;
