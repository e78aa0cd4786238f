import { ExecutionContext, Injectable } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import type { User } from '@postwire/persistence';
import type { FastifyRequest } from 'fastify';
import { ApiError } from '../http/api-error';
import { validate } from '../http/validate';
import { signInSchema } from './auth-schemas';

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
      throw new ApiError('unsupported_media_type', 'Sign in with a JSON body: {"email": "...", "password": "..."}.', 'body');
    }
    validate(signInSchema, req.body);
    return (await super.canActivate(context)) as boolean;
  }

  override handleRequest<T = User>(err: unknown, user: T): T {
    if (err) throw err;
    if (!user) throw new ApiError('invalid_credentials', 'The e-mail address or the password is wrong.');
    return user;
  }
}
