import { ExecutionContext, Injectable } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import { ApiError } from '../http/api-error';
import { checkCsrf } from './csrf';
import { SESSION_STRATEGY } from './session.strategy';
import type { SessionPrincipal } from './sessions';

/** A console session is required (401 `not_signed_in`), and its CSRF token on writes (403 `csrf_token_invalid`). */
@Injectable()
export class SessionGuard extends AuthGuard(SESSION_STRATEGY) {
  override async canActivate(context: ExecutionContext): Promise<boolean> {
    await super.canActivate(context);
    const req = context.switchToHttp().getRequest<FastifyRequest & { user: SessionPrincipal }>();
    checkCsrf(req as unknown as { method: string; headers: Record<string, unknown> }, req.user.session.csrfToken);
    return true;
  }

  override handleRequest<T>(err: unknown, user: T): T {
    if (err || !user) throw new ApiError('not_signed_in', 'Sign in first: POST /api/auth/login.');
    return user;
  }
}
