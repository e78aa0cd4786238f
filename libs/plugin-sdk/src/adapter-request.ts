/** The inbound HTTP request as an adapter sees it. Everything here came from outside: treat it as hostile. */
export interface AdapterRequest {
  method: 'GET' | 'POST';
  /** Path without the query string, e.g. `/postback/clickbank`. */
  path: string;
  /** Query parameters; each key appears once (repeated keys are refused before an adapter runs). */
  query: Readonly<Record<string, string>>;
  /** Headers with lower-case names. */
  headers: Readonly<Record<string, string>>;
  /** The media type of the body without parameters, e.g. `application/json`. */
  contentType?: string;
  /** The body exactly as received (needed to check signatures over it). Empty for GET. */
  rawBody: Buffer;
  /**
   * The body parsed by content type: form fields as single strings, or the JSON value.
   * `undefined` when there is no body or its type is neither form nor JSON; a body that claims
   * one of those types but does not parse is refused before the adapter runs.
   */
  body?: unknown;
  /** The client address after trusted-proxy handling. */
  ip: string;
}
