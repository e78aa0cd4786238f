/**
 * Every error code Postwire answers with, its HTTP status and what it means: the one declaration.
 * `ApiError` can only be built from a code listed here (its status comes from here too), the OpenAPI
 * document's `Error` schema carries the codes as an enum (so the console's generated types hold the
 * union), and docs/api-errors.md is generated from it by `npm run openapi` (checked by `openapi:check`).
 */
export const ERROR_CODES = {
  bad_parameter: { status: 400, meaning: 'A parameter is wrong; `param` names it and `message` says why.' },
  bad_request: { status: 400, meaning: 'The request cannot be read at all (e.g. malformed JSON).' },
  unsupported_event: { status: 400, meaning: "The network's adapter does not know this event type." },
  unauthorized: { status: 401, meaning: 'Credentials are missing or wrong.' },
  invalid_api_key: { status: 401, meaning: 'No valid API key (or console session) came with the request.' },
  invalid_credentials: { status: 401, meaning: 'Sign-in: the e-mail address or the password is wrong.' },
  not_signed_in: { status: 401, meaning: 'The route needs a console session: sign in first.' },
  bad_signature: { status: 401, meaning: 'The postback signature does not check out.' },
  stale_timestamp: { status: 401, meaning: "The signature's timestamp is too far from the tracker's clock." },
  replayed: { status: 401, meaning: 'This signed request was already received.' },
  forbidden: { status: 403, meaning: 'Not allowed.' },
  account_disabled: { status: 403, meaning: 'The console account is disabled; an admin can enable it again.' },
  insufficient_scope: { status: 403, meaning: 'The role or API key may not do this (e.g. a read key writing, a client outside its campaigns).' },
  csrf_token_invalid: { status: 403, meaning: 'A console write without the X-CSRF-Token given at sign-in.' },
  credentials_required: {
    status: 403,
    meaning: "Moving a traffic source's postback URL to another scheme, host or port needs its credentials entered again, or an admin.",
  },
  ip_not_allowed: { status: 403, meaning: "The sender's address is not on the network's IP allowlist." },
  not_found: { status: 404, meaning: 'No such thing, or not visible to this caller.' },
  unknown_campaign: { status: 404, meaning: 'A click for a campaign that does not exist.' },
  campaign_paused: {
    status: 404,
    meaning: 'A click for a paused or archived campaign with no fallback URL (its own `pausedUrl` or PAUSED_CAMPAIGN_URL); the click is stored as paused.',
  },
  console_not_built: { status: 404, meaning: 'The console was not built into this install: run `npm run build`.' },
  unknown_network: { status: 404, meaning: 'A postback for a network that does not exist.' },
  method_not_allowed: { status: 405, meaning: 'The route does not take this HTTP method.' },
  email_taken: { status: 409, meaning: 'A user with this e-mail address exists.' },
  version_conflict: {
    status: 409,
    meaning: 'The edit was made from an older version than the stored one (someone changed it meanwhile); reload, re-apply, and send the current `version`.',
  },
  in_use: { status: 409, meaning: 'The item cannot be deleted while other things refer to it; `message` names them. Archive it instead.' },
  last_admin: { status: 409, meaning: 'The change would leave no admin user.' },
  last_admin_key: { status: 409, meaning: 'The change would leave no admin API key to manage the tracker with.' },
  slug_taken: { status: 409, meaning: 'Another network has this slug.' },
  too_many_secrets: { status: 409, meaning: 'The limit of signing secrets (or API keys) is reached; revoke one first.' },
  traffic_source_disabled: { status: 409, meaning: 'The traffic source is disabled.' },
  body_too_large: { status: 413, meaning: 'The body is larger than the route accepts.' },
  payload_too_large: { status: 413, meaning: 'The body is larger than the server accepts.' },
  unsupported_media_type: { status: 415, meaning: 'The body has a content type the route does not take.' },
  rate_limited: { status: 429, meaning: 'Too many requests; `retry-after` says when to try again.' },
  too_many_auth_failures: { status: 429, meaning: 'Too many failed credential checks from this address; wait and retry.' },
  too_many_reports: { status: 429, meaning: 'As many reports as REPORT_CONCURRENCY are running in this process; retry after `retry-after` seconds.' },
  too_many_sign_in_attempts: { status: 429, meaning: 'Too many failed sign-ins; wait and retry.' },
  internal_error: { status: 500, meaning: 'A fault of ours; it is logged.' },
  adapter_misconfigured: { status: 503, meaning: "The network's adapter settings are invalid; the operator must fix them." },
  adapter_not_installed: { status: 503, meaning: 'The network uses an adapter that is not installed in this tracker.' },
  click_store_failed: { status: 503, meaning: 'The click could not be written; retry.' },
  click_store_unavailable: { status: 503, meaning: 'The click store is unreachable; retry.' },
  database_unavailable: { status: 503, meaning: 'PostgreSQL cannot be reached right now; nothing was written. Retry after `retry-after` seconds.' },
  offer_url_invalid: { status: 503, meaning: "The campaign's offer URL cannot be used; the operator must fix it." },
  report_timeout: {
    status: 503,
    meaning: 'The report ran longer than REPORT_TIMEOUT_MS and was cancelled in the database; narrow its range, filters or grouping.',
  },
  secrets_unreadable: { status: 503, meaning: 'A stored secret was sealed with another SECRETS_KEY; every process must share one.' },
  saved_report_name_taken: { status: 409, meaning: 'You have a saved report of this name already; choose another.' },
  too_many_saved_reports: { status: 409, meaning: 'You keep as many saved reports as one user may (100); delete one first.' },
} as const satisfies Record<string, { status: number; meaning: string }>;

/** One of the codes above: the `error` field of every refusal. */
export type ErrorCode = keyof typeof ERROR_CODES;

/** The status that goes with a code. */
export type ErrorStatus<C extends ErrorCode> = (typeof ERROR_CODES)[C]['status'];

export const ERROR_CODE_LIST = Object.keys(ERROR_CODES) as ErrorCode[];

export function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && Object.hasOwn(ERROR_CODES, code);
}

/** The JSON body of every refusal. */
export interface ErrorBody {
  error: ErrorCode;
  message: string;
  /** The parameter at fault (on a 400). */
  param?: string;
}
