import { constantTimeEqual } from '@postwire/security';
import { ApiError } from '../http/api-error';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Synchronizer-token CSRF check for cookie-authenticated requests: anything but GET/HEAD/OPTIONS must
 * carry the session's token in `X-CSRF-Token`. Another site can make a browser send the cookie, but
 * cannot read the token nor set a custom header without CORS, which Postwire never grants.
 */
export function checkCsrf(req: { method: string; headers: Record<string, unknown> }, expected: string): void {
  if (SAFE_METHODS.has(req.method)) return;
  const sent = req.headers['x-csrf-token'];
  if (typeof sent !== 'string' || !constantTimeEqual(Buffer.from(sent), Buffer.from(expected))) {
    throw new ApiError('csrf_token_invalid', 'This request needs the X-CSRF-Token header with the token given at sign-in (GET /api/auth/me gives it again).');
  }
}
