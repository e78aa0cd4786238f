import { ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { clientHiddenFields } from '@postwire/core';
import type { ApiKeyRecord } from '@postwire/persistence';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from '../http/api-error';
import { AdminAuthFailures } from './admin-auth-failures';
import { ACCESS_SCOPE, type AccessScope } from './access-scope';
import { CLIENT_VISIBLE } from './client-visible';
import { ADMIN_KEY_STRATEGY } from './admin-key.strategy';
import { checkCsrf } from './csrf';
import { SESSION_STRATEGY } from './session.strategy';
import type { SessionPrincipal } from './sessions';

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
export const READ_ONLY_ALLOWED = 'postwire:read-only-allowed';
/** Marks a write route that a `read` key may still call (none yet; kept explicit). */
export const AllowReadScope = () => SetMetadata(READ_ONLY_ALLOWED, true);
export const ADMIN_SCOPE_REQUIRED = 'postwire:admin-scope-required';
/** Marks a controller or route that only an `admin` key or admin user may call, reads included (users, credentials and their metadata). */
export const RequireAdminScope = () => SetMetadata(ADMIN_SCOPE_REQUIRED, true);

type Principal = ApiKeyRecord | SessionPrincipal;

/**
 * Admin API guard, for API keys and console sessions alike: a valid key or session is required
 * (401 `invalid_api_key`); a session's writes need its CSRF token (403 `csrf_token_invalid`); then the
 * caller's role decides (403 `insufficient_scope`): a `read` key and a `client` user only read, only
 * `admin` reaches `@RequireAdminScope()` routes, and a client only `@ClientVisible()` ones. The result is
 * left on the request as an {@link AccessScope} for `@Access()`. Failed authentications are limited
 * per address (429, see {@link AdminAuthFailures}).
 */
@Injectable()
export class AdminAuthGuard extends AuthGuard([ADMIN_KEY_STRATEGY, SESSION_STRATEGY]) {
  constructor(
    private readonly reflector: Reflector,
    private readonly failures: AdminAuthFailures,
  ) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const [request, reply] = [http.getRequest<FastifyRequest>(), http.getResponse<FastifyReply>()];
    await this.failures.refuseIfLocked(request, reply);
    try {
      await super.canActivate(context);
    } catch (error) {
      throw await this.failures.failed(request, reply, error);
    }
    const req = context.switchToHttp().getRequest<{ method: string; headers: Record<string, unknown>; user?: Principal } & Record<string, unknown>>();
    const scope = scopeOf(req.user!);
    req[ACCESS_SCOPE] = scope;
    if (req.user && 'kind' in req.user) checkCsrf(req, req.user.session.csrfToken);
    const targets = [context.getHandler(), context.getClass()];
    if (scope.role !== 'admin' && this.reflector.getAllAndOverride(ADMIN_SCOPE_REQUIRED, targets)) {
      throw new ApiError(
        'insufficient_scope',
        scope.via === 'api-key'
          ? 'Only an admin API key may manage credentials.'
          : `Only an admin may manage users, API keys and secrets; you are signed in as ${scope.role}.`,
      );
    }
    if (scope.role === 'client' && !this.reflector.getAllAndOverride(CLIENT_VISIBLE, targets)) {
      throw new ApiError('insufficient_scope', 'A client account may only read its own campaigns and their reports.');
    }
    if ((scope.role === 'read' || scope.role === 'client') && WRITE_METHODS.has(req.method) && !this.reflector.get(READ_ONLY_ALLOWED, context.getHandler())) {
      throw new ApiError('insufficient_scope', scope.role === 'read' ? 'This API key may only read; use an admin key.' : 'A client account may only read.');
    }
    return true;
  }

  override handleRequest<T>(err: unknown, user: T): T {
    if (err || !user)
      throw new ApiError(
        'invalid_api_key',
        'A valid API key is required: send it as "Authorization: Bearer <key>" or "X-API-Key: <key>" (or sign in to the console).',
      );
    return user;
  }
}

const NOTHING_HIDDEN: ReadonlySet<string> = new Set();

function scopeOf(principal: Principal): AccessScope {
  if ('kind' in principal) {
    const { user } = principal;
    return {
      via: 'session',
      role: user.role,
      userId: user.id,
      allowedCampaignIds: user.role === 'client' ? user.campaignIds.map((id) => id.toLowerCase()) : null,
      hideProfit: user.role === 'client' && user.hideProfit,
      hiddenFields: user.role === 'client' ? clientHiddenFields(user.clientSees) : NOTHING_HIDDEN,
      actor: { type: 'user', id: user.id, label: user.email },
    };
  }
  return {
    via: 'api-key',
    role: principal.scope === 'admin' ? 'admin' : 'read',
    userId: null,
    allowedCampaignIds: null,
    hideProfit: false,
    hiddenFields: NOTHING_HIDDEN,
    actor: { type: 'api_key', id: principal.id, label: principal.label ?? `API key ${principal.id.slice(0, 8)}` },
  };
}
