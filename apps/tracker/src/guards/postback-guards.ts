import { Injectable, Logger } from '@nestjs/common';
import type { Network } from '@postwire/persistence';
import { IpAllowlist, safeLogValue } from '@postwire/security';
import { ApiError } from '../http/api-error';
import type { ArrivedPostback } from '../http/postback-request';
import { NetworkKeyCheck } from './network-key';
import { RateLimits } from './rate-limits';
import { SignatureVerifier } from './signature-check';

const SIGNATURE_MESSAGES = {
  bad_signature: 'This network requires signed postbacks and the signature does not check out (see docs/signing.md).',
  stale_timestamp: 'The signature is valid but its timestamp is more than 300 s away from our clock: sign again with the current time.',
  replayed: 'This signed request was already received; sign a retry again with a fresh timestamp.',
} as const;

/** Whether an answer means the postback was taken (and logged): a 2xx to a GET or POST. HEAD never books anything. */
export function bookedBy(method: string, status: number): boolean {
  return method !== 'HEAD' && status >= 200 && status < 300;
}

/** Allowlists parsed once per distinct list; bounded so hostile churn of network settings cannot grow it without end. */
const ALLOWLIST_CACHE_SIZE = 1000;

/** A postback the guards let through. */
export interface GuardPass {
  /**
   * Set when a signature was checked and remembered against replays. Only a booked postback may make
   * its identical copy a replay: the caller calls this for every other answer (a 5xx, a 405, a 4xx,
   * any HEAD), which stored nothing and which its sender will retry as is.
   */
  forget?: () => Promise<void>;
}

/**
 * A network's postback guards, in order: IP allowlist (403 `ip_not_allowed`), API key (401
 * `invalid_api_key`), signature (401 `bad_signature` | `stale_timestamp` | `replayed`), then the
 * network's rate limit (429 with Retry-After). A refusal is thrown as an {@link ApiError}.
 *
 * Refusals are logged to the app log, not to the postback log: a refused request writes nothing to
 * the database, so a flood of forgeries cannot grow it.
 */
@Injectable()
export class PostbackGuards {
  private readonly logger = new Logger('PostbackGuard');
  private readonly allowlists = new Map<string, IpAllowlist>();

  constructor(
    private readonly keys: NetworkKeyCheck,
    private readonly signatures: SignatureVerifier,
    private readonly limits: RateLimits,
  ) {}

  async check(network: Network, postback: ArrivedPostback): Promise<GuardPass> {
    const guards = network.guards ?? {};
    const refuse = (guard: string, reason: string, error: ApiError) => {
      this.logger.warn(
        `postback refused: guard=${guard} reason=${reason} network=${network.slug} ip=${safeLogValue(postback.ip, 64)} request="${postback.method} ${safeLogValue(postback.path, 128)}"`,
      );
      return error;
    };
    if (guards.ipAllowlist?.length && !this.allowlist(guards.ipAllowlist).allows(postback.ip)) {
      throw refuse('ip_allowlist', 'ip_not_allowed', new ApiError('ip_not_allowed', 'Postbacks for this network are not accepted from this address.'));
    }
    if (guards.requireApiKey && !(await this.keys.allows(network.id, postback))) {
      throw refuse(
        'api_key',
        'invalid_api_key',
        new ApiError('invalid_api_key', 'This network requires its API key: send it as the "key" query parameter or the "X-API-Key" header.'),
      );
    }
    const pass: GuardPass = {};
    if (guards.requireSignature) {
      const verdict = await this.signatures.verify(network.id, postback);
      if (!verdict.ok) throw refuse('signature', verdict.reason, new ApiError(verdict.error, SIGNATURE_MESSAGES[verdict.error]));
      pass.forget = verdict.forget;
    }
    const rate = await this.limits.consumeNetwork(network.id, postback.ip);
    if (!rate.ok) {
      // Its sender retries it after Retry-After, as is: that retry must not be a replay.
      await pass.forget?.();
      // Logged by RateLimits, once per window: a network over its budget would otherwise flood the log.
      throw new ApiError('rate_limited', `Too many postbacks for this network; retry in ${rate.retryAfterSec} s.`, undefined, {
        'retry-after': String(rate.retryAfterSec),
      });
    }
    return pass;
  }

  private allowlist(entries: string[]): IpAllowlist {
    const cacheKey = entries.join(',');
    let list = this.allowlists.get(cacheKey);
    if (!list) {
      if (this.allowlists.size >= ALLOWLIST_CACHE_SIZE) this.allowlists.clear();
      try {
        list = new IpAllowlist(entries);
      } catch {
        // Stored entries are canonical; one edited into the database by hand that does not parse allows nothing.
        list = new IpAllowlist([]);
      }
      this.allowlists.set(cacheKey, list);
    }
    return list;
  }
}
