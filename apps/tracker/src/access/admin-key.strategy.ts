import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ApiKeyRepository, type ApiKeyRecord } from '@postwire/persistence';
import { hashApiKey } from '@postwire/security';
import type { FastifyRequest } from 'fastify';
import { Strategy } from 'passport-custom';

export const ADMIN_KEY_STRATEGY = 'admin-key';

/** Reads the key from `Authorization: Bearer <key>` or `X-API-Key` and looks up its hash. */
@Injectable()
export class AdminKeyStrategy extends PassportStrategy(Strategy, ADMIN_KEY_STRATEGY) {
  constructor(private readonly keys: ApiKeyRepository) {
    super();
  }

  async validate(req: FastifyRequest): Promise<ApiKeyRecord | false> {
    const key = extractKey(req);
    if (!key) return false;
    const record = await this.keys.findActiveByHash(hashApiKey(key));
    return record && (record.scope === 'admin' || record.scope === 'read') ? record : false;
  }
}

function extractKey(req: FastifyRequest): string | undefined {
  const auth = req.headers.authorization;
  if (typeof auth === 'string') {
    const match = /^Bearer\s+(\S+)$/i.exec(auth.trim());
    if (match) return match[1];
  }
  const header = req.headers['x-api-key'];
  return typeof header === 'string' && header.length > 0 && header.length <= 256 ? header.trim() : undefined;
}
