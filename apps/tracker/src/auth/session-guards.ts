import { ExecutionContext, Injectable } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import type { User } from '@postwire/persistence';
import type { FastifyRequest } from 'fastify';
import { ApiError } from '../http/api-error';
import { validate } from '../http/validate';
import { signInSchema } from './auth-schemas';
import { checkCsrf } from '../access/csrf';
import { SESSION_STRATEGY } from '../access/session.strategy';
import type { SessionPrincipal } from '../access/sessions';

/**
 * Sign-in with passport-local. The body must be JSON: a form post from another site cannot sign a
 * browser into someone else's account (login CSRF), since JSON needs a CORS preflight.
 */
@Injectable()
export class SignInGuard extends AuthGuard('local') {
  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<FastifyRequest>();
    if (
      !String(req.headers['content-type'] ?? '')
        .toLowerCase()
        .startsWith('application/json')
    ) {
      throw new ApiError(415, 'unsupported_media_type', 'Sign in with a JSON body: {"email": "...", "password": "..."}.', 'body');
    }
    validate(signInSchema, req.body);
    return (await super.canActivate(context)) as boolean;
  }

  override handleRequest<T = User>(err: unknown, user: T): T {
    if (err) throw err;
    if (!user) throw new ApiError(401, 'invalid_credentials', 'The e-mail address or the password is wrong.');
    return user;
  }
}

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
    if (err || !user) throw new ApiError(401, 'not_signed_in', 'Sign in first: POST /api/auth/login.');
    return user;
  }
}
