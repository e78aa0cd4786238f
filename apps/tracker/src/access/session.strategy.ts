import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import { Strategy } from 'passport-custom';
import { Sessions, type SessionPrincipal } from './sessions';

export const SESSION_STRATEGY = 'console-session';

/** Authenticates by the `pw_session` cookie of a signed-in console user. */
@Injectable()
export class SessionStrategy extends PassportStrategy(Strategy, SESSION_STRATEGY) {
  constructor(private readonly sessions: Sessions) {
    super();
  }

  async validate(req: FastifyRequest): Promise<SessionPrincipal | false> {
    return (await this.sessions.resolve(req)) ?? false;
  }
}
