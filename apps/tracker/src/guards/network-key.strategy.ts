import { Injectable } from '@nestjs/common';
import { AuthGuard, PassportStrategy } from '@nestjs/passport';
import { ApiKeyRepository, type ApiKeyRecord } from '@postwire/persistence';
import { hashApiKey } from '@postwire/security';
import type { FastifyRequest } from 'fastify';
import { Strategy } from 'passport-custom';
import { ApiError } from '../http/api-error';
import { guardedNetworkOf } from '../http/guarded-network';

export const NETWORK_KEY_STRATEGY = 'network-key';

/** Longest key accepted; generated keys are 50 characters. Anything longer is not ours and is not hashed. */
const MAX_KEY_LENGTH = 256;

/**
 * A network API key: `key` query parameter or `X-API-Key` header, looked up by its sha256. Only an active
 * key of scope `network` issued for the very network being posted to passes; an admin key or another
 * network's key does not.
 */
@Injectable()
export class NetworkKeyStrategy extends PassportStrategy(Strategy, NETWORK_KEY_STRATEGY) {
  constructor(private readonly keys: ApiKeyRepository) {
    super();
  }

  async validate(req: FastifyRequest): Promise<ApiKeyRecord | false> {
    // The network the postback guard resolved for this request (see PostbackGuard).
    const network = guardedNetworkOf(req)?.network;
    const key = presentedKey(req);
    if (!network || key === undefined) return false;
    const record = await this.keys.findActiveByHash(hashApiKey(key));
    return record?.scope === 'network' && record.networkId === network.id ? record : false;
  }
}

/** The key the sender presented; `undefined` when there is none, or two different ones, or a repeated parameter. */
function presentedKey(req: FastifyRequest): string | undefined {
  const fromQuery: unknown = (req.query as Record<string, unknown> | undefined)?.key;
  const fromHeader: unknown = req.headers['x-api-key'];
  const candidates = [fromQuery, fromHeader].filter((v) => v !== undefined);
  if (candidates.length === 0 || candidates.some((v) => typeof v !== 'string' || v === '' || v.length > MAX_KEY_LENGTH)) return undefined;
  if (candidates.length === 2 && candidates[0] !== candidates[1]) return undefined;
  return candidates[0] as string;
}

/** Runs {@link NetworkKeyStrategy} through Passport and turns a refusal into 401 `invalid_api_key`. */
@Injectable()
export class NetworkKeyAuthGuard extends AuthGuard(NETWORK_KEY_STRATEGY) {
  override handleRequest<T>(err: unknown, user: T): T {
    if (err || !user)
      throw new ApiError('invalid_api_key', 'This network requires its API key: send it as the "key" query parameter or the "X-API-Key" header.');
    return user;
  }
}
