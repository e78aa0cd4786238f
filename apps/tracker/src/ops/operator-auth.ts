import { Injectable } from '@nestjs/common';
import { ApiKeyRepository, type ApiKeyRecord } from '@postwire/persistence';
import { hashApiKey } from '@postwire/security';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { IncomingHttpHeaders } from 'node:http';
import { AdminAuthFailures } from '../access/admin-auth-failures';
import { ApiError } from '../http/api-error';

/**
 * The admin-key check for the operator pages outside `/api` (the queue board, `/metrics`): the
 * same hashed lookup as the API's key strategy, and the key may also come as the password of
 * HTTP Basic auth, because that is what a browser can send (it asks for it on a 401) and what
 * Prometheus' `basic_auth` sends. Wrong keys count towards the same per-address lockout as the
 * API's ({@link AdminAuthFailures}).
 */
@Injectable()
export class OperatorAuth {
  constructor(
    private readonly keys: ApiKeyRepository,
    private readonly failures: AdminAuthFailures,
  ) {}

  /**
   * The key record when the request carries a valid admin or read key. Otherwise throws `refusal` (a
   * 401), or the lockout's 429 once the address used up its failures (a right key included).
   */
  async authenticate(req: FastifyRequest, reply: FastifyReply, refusal: ApiError): Promise<ApiKeyRecord> {
    await this.failures.refuseIfLocked(req, reply);
    const key = readKey(req.headers);
    const record = key ? await this.keys.findActiveByHash(hashApiKey(key)) : undefined;
    if (record && (record.scope === 'admin' || record.scope === 'read')) return record;
    throw await this.failures.failed(req, reply, refusal);
  }
}

/** `Authorization: Bearer <key>`, `Authorization: Basic base64(<any user>:<key>)` or `X-API-Key: <key>`. */
export function readKey(headers: IncomingHttpHeaders): string | undefined {
  const auth = headers.authorization;
  if (typeof auth === 'string') {
    const bearer = /^Bearer\s+(\S{1,256})$/i.exec(auth.trim());
    if (bearer) return bearer[1];
    const basic = /^Basic\s+([A-Za-z0-9+/=]{1,1024})$/i.exec(auth.trim());
    if (basic) {
      const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      const password = colon === -1 ? '' : decoded.slice(colon + 1);
      if (password.length > 0 && password.length <= 256) return password;
    }
  }
  const header = headers['x-api-key'];
  return typeof header === 'string' && header.length > 0 && header.length <= 256 ? header.trim() : undefined;
}
