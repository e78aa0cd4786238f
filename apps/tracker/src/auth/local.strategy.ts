import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { UserRepository, type User } from '@postwire/persistence';
import { decoyPasswordHash, verifyPassword } from '@postwire/security';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Strategy } from 'passport-local';
import { ApiError } from '../http/api-error';
import { ClientIpResolver } from '../http/client-ip';
import { SignInThrottle } from './sign-in-throttle';

/** E-mail and password sign-in: each attempt is counted per address and per account before the password is even checked. */
@Injectable()
export class LocalStrategy extends PassportStrategy(Strategy, 'local') {
  constructor(
    private readonly users: UserRepository,
    private readonly throttle: SignInThrottle,
    private readonly clientIp: ClientIpResolver,
  ) {
    super({ usernameField: 'email', passwordField: 'password', passReqToCallback: true });
  }

  async validate(req: FastifyRequest & { res?: FastifyReply }, email: string, password: string): Promise<User | false> {
    const ip = this.clientIp.of(req);
    const verdict = await this.throttle.attempt(ip, email);
    if (!verdict.ok) {
      throw new ApiError('too_many_sign_in_attempts', `Too many failed sign-ins; try again in ${verdict.retryAfterSec} s.`, undefined, {
        'retry-after': String(verdict.retryAfterSec),
      });
    }
    const found = await this.users.findForSignIn(email);
    // An unknown address costs one scrypt too, so timing does not tell which accounts exist.
    const ok = await verifyPassword(password, found?.passwordHash ?? (await decoyPasswordHash()));
    // A failure keeps the point the attempt took.
    if (!found || !ok) return false;
    await this.throttle.succeeded(ip, email);
    // Said only to whoever knows the password: a disabled account is not hidden from its owner.
    if (found.user.disabledAt) throw new ApiError('account_disabled', 'This account is disabled; ask an admin to enable it.');
    return found.user;
  }
}
