/**
 * What Meta's Conversions API accepts, written from its docs, as a list of problems with one
 * request (empty: acceptable). Used by the specs and by the fake Meta receiver of the integration
 * and e2e tests, never by the target itself: it checks the target from the outside.
 *
 * - Endpoint and body `{ data: [...], test_event_code? }`:
 *   https://developers.facebook.com/docs/marketing-api/conversions-api/using-the-api
 * - `event_name`, `event_time` (Unix seconds, not in the future, at most 7 days old), `event_id`, `action_source`,
 *   `event_source_url` (required for `website`):
 *   https://developers.facebook.com/docs/marketing-api/conversions-api/parameters/server-event
 * - `user_data`: at least one identifier; `client_user_agent` required for website events; `em`, `ph`, `external_id`
 *   SHA-256 hex of normalised values; `client_ip_address`, `client_user_agent`, `fbc`, `fbp` not hashed:
 *   https://developers.facebook.com/docs/marketing-api/conversions-api/parameters/customer-information-parameters
 * - `fbc` is `fb.1.<creation time in ms>.<fbclid>`; `fbp` is `fb.1.<creation time in ms>.<random number>`:
 *   https://developers.facebook.com/docs/marketing-api/conversions-api/parameters/fbp-and-fbc
 * - `custom_data.value` a number and `currency` an ISO 4217 code (required for Purchase):
 *   https://developers.facebook.com/docs/marketing-api/conversions-api/parameters/custom-data
 */
export function metaRequestProblems(request: { method: string; path: string; authorization?: string; body: string | null }, nowMs: number): string[] {
  const problems: string[] = [];
  if (request.method !== 'POST') problems.push(`method must be POST, got ${request.method}`);
  if (!/^\/v\d+\.\d+\/[^/]+\/events$/.test(request.path)) problems.push(`path must be /{version}/{pixel id}/events, got ${request.path}`);
  if (!request.authorization?.startsWith('Bearer ')) problems.push('no access token');
  let payload: { data?: unknown; test_event_code?: unknown };
  try {
    payload = JSON.parse(request.body ?? '') as typeof payload;
  } catch {
    return [...problems, 'body is not JSON'];
  }
  if (!Array.isArray(payload.data) || payload.data.length === 0 || payload.data.length > 1000) return [...problems, 'data must be an array of 1..1000 events'];
  if (payload.test_event_code !== undefined && typeof payload.test_event_code !== 'string') problems.push('test_event_code must be a string');
  payload.data.forEach((raw: unknown, i) => {
    const at = `data[${i}]`;
    const event = raw as Record<string, unknown>;
    if (typeof event.event_name !== 'string' || !event.event_name) problems.push(`${at}.event_name is required`);
    const time = event.event_time;
    if (!Number.isInteger(time)) problems.push(`${at}.event_time must be an integer of Unix seconds`);
    else {
      const ms = (time as number) * 1000;
      if (ms > nowMs + 60_000) problems.push(`${at}.event_time is in the future`);
      if (nowMs - ms > 7 * 86_400_000) problems.push(`${at}.event_time is more than 7 days old`);
    }
    if (typeof event.event_id !== 'string' || !event.event_id) problems.push(`${at}.event_id should be set (deduplication with the pixel)`);
    if (event.action_source !== 'website') problems.push(`${at}.action_source must be website`);
    if (typeof event.event_source_url !== 'string' || !URL.canParse(event.event_source_url))
      problems.push(`${at}.event_source_url is required for website events`);
    const user = (event.user_data ?? {}) as Record<string, unknown>;
    if (typeof user.client_user_agent !== 'string' || !user.client_user_agent)
      problems.push(`${at}.user_data.client_user_agent is required for website events`);
    for (const key of ['em', 'ph', 'external_id']) {
      const value = user[key];
      if (value === undefined) continue;
      const list = Array.isArray(value) ? value : [value];
      if (!list.every((v) => typeof v === 'string' && /^[0-9a-f]{64}$/.test(v))) problems.push(`${at}.user_data.${key} must be SHA-256 lower-case hex`);
    }
    if (user.fbc !== undefined && (typeof user.fbc !== 'string' || !/^fb\.[0-9]\.\d{13}\.\S+$/.test(user.fbc)))
      problems.push(`${at}.user_data.fbc must be fb.1.<ms>.<fbclid>`);
    if (user.fbp !== undefined && (typeof user.fbp !== 'string' || !/^fb\.[0-9]\.\d{13}\.\d+$/.test(user.fbp)))
      problems.push(`${at}.user_data.fbp must be fb.1.<ms>.<number>`);
    if (!['fbc', 'fbp', 'em', 'ph', 'external_id', 'client_ip_address'].some((k) => user[k] !== undefined))
      problems.push(`${at}.user_data has no customer information parameter`);
    const custom = (event.custom_data ?? {}) as Record<string, unknown>;
    if (custom.value !== undefined && typeof custom.value !== 'number') problems.push(`${at}.custom_data.value must be a number`);
    if (custom.currency !== undefined && (typeof custom.currency !== 'string' || !/^[A-Z]{3}$/.test(custom.currency)))
      problems.push(`${at}.custom_data.currency must be ISO 4217`);
    if (event.event_name === 'Purchase' && (typeof custom.value !== 'number' || custom.currency === undefined))
      problems.push(`${at}: a Purchase needs custom_data.value and currency`);
  });
  return problems;
}
