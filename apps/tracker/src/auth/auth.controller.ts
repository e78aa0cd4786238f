import { Controller, Get, HttpCode, Post, Put, Req, Res, UseGuards } from '@nestjs/common';
import { UserRepository, type User } from '@postwire/persistence';
import { hashPassword, verifyPassword } from '@postwire/security';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from '../http/api-error';
import { ClientIpResolver } from '../http/client-ip';
import { ApiRoute, Valid } from '../openapi/api-route.decorator';
import { changePasswordSchema, preferencesSchema, sessionSchema, sessionUserView, signInSchema } from './auth-schemas';
import { checkCsrf } from '../access/csrf';
import { SessionGuard } from '../access/session.guard';
import { SignInGuard } from './sign-in.guard';
import { Sessions, type SessionPrincipal } from '../access/sessions';
import { SignInThrottle } from './sign-in-throttle';
import type { z } from 'zod';
import { noContent } from '../schemas/views';

type SignedIn = FastifyRequest & { user: SessionPrincipal };

/** Console sign-in, the signed-in user, sign-out and password change. API keys do not use these routes. */
@Controller('api/auth')
export class AuthController {
  constructor(
    private readonly sessions: Sessions,
    private readonly users: UserRepository,
    private readonly throttle: SignInThrottle,
    private readonly clientIp: ClientIpResolver,
  ) {}

  /** Checks e-mail and password and starts a new session (a new id every time). */
  @ApiRoute({ summary: 'Sign in to the console: sets the pw_session cookie', body: signInSchema, response: sessionSchema })
  @Post('login')
  @HttpCode(200)
  @UseGuards(SignInGuard)
  async login(@Req() req: FastifyRequest & { user: User }, @Res({ passthrough: true }) reply: FastifyReply) {
    const { csrfToken } = await this.sessions.start(req.user.id, req, reply);
    return { user: sessionUserView(req.user), csrfToken };
  }

  @ApiRoute({ summary: 'The signed-in user and the CSRF token', response: sessionSchema })
  @Get('me')
  @UseGuards(SessionGuard)
  me(@Req() req: SignedIn) {
    return { user: sessionUserView(req.user.user), csrfToken: req.user.session.csrfToken };
  }

  /** Ends this session. Without one it only clears the cookie. */
  @ApiRoute({ summary: 'Sign out: ends this session', response: noContent })
  @Post('logout')
  @HttpCode(204)
  async logout(@Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<void> {
    const current = await this.sessions.resolve(req);
    if (current) checkCsrf(req as unknown as { method: string; headers: Record<string, unknown> }, current.session.csrfToken);
    await this.sessions.end(req, reply);
  }

  /**
   * Changes the password and ends every session of the user, this one included; the answer carries a
   * new session cookie, and the new CSRF token in the `X-CSRF-Token` header (GET /api/auth/me gives it too).
   */
  @ApiRoute({ summary: 'Change the password; ends every other session', body: changePasswordSchema, response: noContent })
  @Post('password')
  @HttpCode(204)
  @UseGuards(SessionGuard)
  async changePassword(
    @Req() req: SignedIn,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Valid('body') input: z.output<typeof changePasswordSchema>,
  ): Promise<void> {
    const { user } = req.user;
    const ip = this.clientIp.of(req);
    const verdict = await this.throttle.check(ip, user.email);
    if (!verdict.ok)
      throw new ApiError('too_many_sign_in_attempts', `Too many wrong passwords; try again in ${verdict.retryAfterSec} s.`, undefined, {
        'retry-after': String(verdict.retryAfterSec),
      });
    if (!(await verifyPassword(input.currentPassword, (await this.users.passwordHash(user.id)) ?? ''))) {
      await this.throttle.failed(ip, user.email);
      throw ApiError.badParameter('currentPassword', 'is not your current password');
    }
    await this.users.update(user.id, { passwordHash: await hashPassword(input.newPassword) });
    await this.sessions.endAllOf(user.id);
    const { csrfToken } = await this.sessions.start(user.id, req, reply);
    void reply.header('x-csrf-token', csrfToken);
  }

  @ApiRoute({ summary: 'Set the time zone the console shows dates in', body: preferencesSchema, response: sessionSchema })
  @Put('me/preferences')
  @UseGuards(SessionGuard)
  async preferences(@Req() req: SignedIn, @Valid('body') input: z.output<typeof preferencesSchema>) {
    const user = await this.users.update(req.user.user.id, { timeZone: input.timeZone });
    if (!user) throw new ApiError('not_signed_in', 'This account no longer exists.');
    return { user: sessionUserView(user), csrfToken: req.user.session.csrfToken };
  }
}
