import { Inject, Injectable } from '@nestjs/common';
import type { PostwireConfig } from '@postwire/config';
import { SessionRepository, UserRepository, type SessionRecord, type User } from '@postwire/persistence';
import { POSTWIRE_CONFIG } from '@postwire/runtime';
import { hashApiKey } from '@postwire/security';
import fastifyCookie from '@fastify/cookie';
import { randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ClientIpResolver } from '../http/client-ip';

export const SESSION_COOKIE = 'pw_session';

/** A signed-in console user and the session it came with. */
export interface SessionPrincipal {
  kind: 'session';
  user: User;
  session: SessionRecord;
}

/**
 * Console sessions: a random id in the `pw_session` cookie (HttpOnly, SameSite=Lax, Secure behind
 * HTTPS), its sha256 in the database, and a CSRF token per session that cookie-authenticated writes
 * must echo in `X-CSRF-Token`. Every sign-in makes a new id, so a session id planted before sign-in
 * is worthless after it.
 */
@Injectable()
export class Sessions {
  private readonly ttlMs: number;
  private readonly httpsPublicUrl: boolean;

  constructor(
    @Inject(POSTWIRE_CONFIG) config: PostwireConfig,
    private readonly sessions: SessionRepository,
    private readonly users: UserRepository,
    private readonly clientIp: ClientIpResolver,
  ) {
    this.ttlMs = config.auth.sessionTtlHours * 3_600_000;
    this.httpsPublicUrl = config.publicUrl.startsWith('https:');
  }

  /** The live session of the request's cookie and its user, or undefined. */
  async resolve(req: FastifyRequest): Promise<SessionPrincipal | undefined> {
    const id = this.cookieOf(req);
    if (!id) return undefined;
    const session = await this.sessions.findActive(hashApiKey(id));
    if (!session) return undefined;
    const user = await this.users.get(session.userId);
    return user ? { kind: 'session', user, session } : undefined;
  }

  /** Starts a new session for `userId`, ending the one the request came with (rotation), and sets the cookie. Returns its CSRF token. */
  async start(userId: string, req: FastifyRequest, reply: FastifyReply): Promise<{ csrfToken: string; idHash: string }> {
    const previous = this.cookieOf(req);
    if (previous) await this.sessions.revoke(hashApiKey(previous));
    const id = randomBytes(32).toString('base64url');
    const csrfToken = randomBytes(32).toString('base64url');
    const idHash = hashApiKey(id);
    await this.sessions.create({ idHash, userId, csrfToken, expiresAt: new Date(Date.now() + this.ttlMs) });
    void reply.setCookie(SESSION_COOKIE, id, { ...this.cookieOptions(req), maxAge: Math.floor(this.ttlMs / 1000) });
    // An occasional sweep keeps the table to live sessions and the last day's ended ones.
    if (Math.random() < 0.05) void this.sessions.prune().catch(() => undefined);
    return { csrfToken, idHash };
  }

  /** Ends the request's session (if any) and clears the cookie. */
  async end(req: FastifyRequest, reply: FastifyReply): Promise<void> {
    const id = this.cookieOf(req);
    if (id) await this.sessions.revoke(hashApiKey(id));
    void reply.clearCookie(SESSION_COOKIE, this.cookieOptions(req));
  }

  /** Ends every session of a user but `exceptIdHash`. */
  endAllOf(userId: string, exceptIdHash?: string): Promise<void> {
    return this.sessions.revokeAllOf(userId, exceptIdHash);
  }

  private cookieOf(req: FastifyRequest): string | undefined {
    const header = req.headers.cookie;
    if (typeof header !== 'string' || !header.includes(SESSION_COOKIE)) return undefined;
    const value = fastifyCookie.parse(header)[SESSION_COOKIE];
    return typeof value === 'string' && /^[\w-]{43}$/.test(value) ? value : undefined;
  }

  /** Secure when the public URL is https, or a TRUST_PROXY proxy says the client spoke https to it. */
  private cookieOptions(req: FastifyRequest) {
    const proto = String(req.headers['x-forwarded-proto'] ?? '')
      .split(',')[0]
      .trim()
      .toLowerCase();
    const secure = this.httpsPublicUrl || (proto === 'https' && this.clientIp.viaTrustedProxy(req));
    return { path: '/', httpOnly: true, sameSite: 'lax' as const, secure };
  }
}
