/** Socket errors of a connection that never opened or was cut: the server is away, not the statement at fault. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

/**
 * SQLSTATEs of a server that is going away or not yet back: 57P01 admin_shutdown (a fast stop or
 * restart), 57P02 crash_shutdown (another backend crashed), 57P03 cannot_connect_now (starting up,
 * in recovery), 53300 too_many_connections. Class 08 (connection exceptions) is matched separately.
 */
const UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300']);

/** What node-postgres says, without a code, when a connection ends under it or cannot be had in time. */
const DRIVER_MESSAGES = [/^Connection terminated/, /not queryable/, /timeout exceeded when trying to connect/];

/**
 * True when `error` means the database cannot be reached right now (PostgreSQL stopped, restarting,
 * or the network to it cut), as opposed to a statement it refused. Such a failure says nothing
 * about the request: the same work succeeds once the database is back, so callers answer 503 with
 * Retry-After, or journal clicks, instead of a 500.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  // Duck-typed, not `instanceof Error`: socket errors are made in Node's own realm (a test VM's Error differs).
  if (typeof error !== 'object' || error === null) return false;
  const { code, message, errors } = error as { code?: unknown; message?: unknown; errors?: unknown };
  if (typeof code === 'string' && (NETWORK_CODES.has(code) || UNAVAILABLE_SQLSTATES.has(code) || code.startsWith('08'))) return true;
  // AggregateError: a host name resolving to several addresses, each refused.
  if (Array.isArray(errors) && errors.some(isDatabaseUnavailable)) return true;
  return typeof message === 'string' && DRIVER_MESSAGES.some((pattern) => pattern.test(message));
}
