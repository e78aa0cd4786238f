import { Injectable } from '@nestjs/common';
import { ApiKeyRepository } from '@postwire/persistence';
import { hashApiKey } from '@postwire/security';
import type { ArrivedPostback } from '../http/postback-request';

/** Longest key accepted; generated keys are 50 characters. Anything longer is not ours and is not hashed. */
const MAX_KEY_LENGTH = 256;

/**
 * A network API key: `key` query parameter or `X-API-Key` header, looked up by its sha256. Only an active
 * key of scope `network` issued for the very network being posted to passes; an admin key or another
 * network's key does not.
 */
@Injectable()
export class NetworkKeyCheck {
  constructor(private readonly keys: ApiKeyRepository) {}

  /** Whether the postback carries an active key of this network. */
  async allows(networkId: string, postback: ArrivedPostback): Promise<boolean> {
    const key = presentedKey(postback);
    if (key === undefined) return false;
    const record = await this.keys.findActiveByHash(hashApiKey(key));
    return record?.scope === 'network' && record.networkId === networkId;
  }
}

/** The key the sender presented; `undefined` when there is none, or two different ones, or a repeated parameter. */
function presentedKey(postback: ArrivedPostback): string | undefined {
  const fromQuery: unknown = postback.query.key;
  const fromHeader: unknown = postback.headers['x-api-key'];
  const candidates = [fromQuery, fromHeader].filter((v) => v !== undefined);
  if (candidates.length === 0 || candidates.some((v) => typeof v !== 'string' || v === '' || v.length > MAX_KEY_LENGTH)) return undefined;
  if (candidates.length === 2 && candidates[0] !== candidates[1]) return undefined;
  return candidates[0] as string;
}
