/**
 * What a `client` user (an agency's advertiser) sees beyond its default view. By default a client
 * sees none of these; an admin allows each one on the user (`clientSees`).
 */
export const CLIENT_VIEW_EXTRAS = ['traffic_source', 'visitor', 'raw_params'] as const;
export type ClientViewExtra = (typeof CLIENT_VIEW_EXTRAS)[number];

/**
 * The answer fields each extra allows, by name at any depth of an answer: the API leaves them out of
 * every answer to a client not allowed them (ClientViewInterceptor in the tracker). `traffic_source`:
 * the source's name, and what was sent to it (URL, body, headers: its credentials live there) and
 * what it answered; `visitor`: IP address, user agent, the key derived from them and the ad-platform click and browser ids, and the fraud assessment (its signals measure the visitor's address and agent); `raw_params`:
 * the postback parameters as received, and as the adapter read them.
 */
export const CLIENT_HIDDEN_FIELDS: Readonly<Record<ClientViewExtra, readonly string[]>> = {
  traffic_source: ['trafficSourceName', 'postbackUrl', 'url', 'body', 'headers', 'responseSnippet'],
  visitor: ['ip', 'userAgent', 'visitorKey', 'adIds', 'fraud'],
  raw_params: ['params', 'canonical'],
};

/** The fields a client allowed `allowed` does not see. */
export function clientHiddenFields(allowed: readonly ClientViewExtra[]): ReadonlySet<string> {
  return new Set(CLIENT_VIEW_EXTRAS.filter((extra) => !allowed.includes(extra)).flatMap((extra) => CLIENT_HIDDEN_FIELDS[extra]));
}
