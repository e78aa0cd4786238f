import type { ApiKeyRecord } from '@postwire/persistence';
import type { SessionPrincipal } from '../access/sessions';

/**
 * Who made a change, as the cost history shows it: the signed-in user's e-mail, or the API key's
 * label (its id's start when it has none). Read from the principal AdminAuthGuard authenticated.
 */
export function actorLabel(request: { user?: unknown }): string | null {
  const principal = request.user as ApiKeyRecord | SessionPrincipal | undefined;
  if (!principal) return null;
  if ('kind' in principal) return principal.user.email;
  return `API key ${principal.label ?? principal.id.slice(0, 8)}`;
}
