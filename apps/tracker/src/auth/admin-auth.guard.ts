import { ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import type { ApiKeyRecord } from '@postwire/persistence';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from '../http/api-error';
import { AdminAuthFailures } from './admin-auth-failures';
import { ADMIN_KEY_STRATEGY } from './admin-key.strategy';

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
export const READ_ONLY_ALLOWED = 'postwire:read-only-allowed';
/** Marks a write route that a `read` key may still call (none yet; kept explicit). */
export const AllowReadScope = () => SetMetadata(READ_ONLY_ALLOWED, true);
export const ADMIN_SCOPE_REQUIRED = 'postwire:admin-scope-required';
/** Marks a controller or route that only an `admin` key may call, reads included (credentials and their metadata). */
export const RequireAdminScope = () => SetMetadata(ADMIN_SCOPE_REQUIRED, true);

/**
 * Admin API guard: a valid key is required (401 `invalid_api_key`), and a `read` key may only
 * read (403 `insufficient_scope`). Failed authentications are limited per address (429, see
 * {@link AdminAuthFailures}).
 */
@Injectable()
export class AdminAuthGuard extends AuthGuard(ADMIN_KEY_STRATEGY) {
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
    const req = context.switchToHttp().getRequest<{ method: string; user?: ApiKeyRecord }>();
    if (req.user?.scope === 'read' && WRITE_METHODS.has(req.method) && !this.reflector.get(READ_ONLY_ALLOWED, context.getHandler())) {
      throw new ApiError(403, 'insufficient_scope', 'This API key may only read; use an admin key.');
    }
    if (req.user?.scope !== 'admin' && this.reflector.getAllAndOverride(ADMIN_SCOPE_REQUIRED, [context.getHandler(), context.getClass()])) {
      throw new ApiError(403, 'insufficient_scope', 'Only an admin API key may manage credentials.');
    }
    return true;
  }

  override handleRequest<T>(err: unknown, user: T): T {
    if (err || !user) throw new ApiError(401, 'invalid_api_key', 'A valid API key is required: send it as "Authorization: Bearer <key>" or "X-API-Key: <key>".');
    return user;
  }
}
