import { Injectable, Logger, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { cutText } from '@postwire/core';
import { ClickContextLoader, NetworkRepository } from '@postwire/persistence';
import { IpAllowlist, safeLogValue } from '@postwire/security';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from '../http/api-error';
import { ClientIpResolver } from '../http/client-ip';
import { PluginRegistry } from '../plugins/plugin-registry';
import { setGuardedNetwork, type GuardedNetwork } from '../http/guarded-network';
import { readPostbackRequest } from '../http/postback-request';
import { NetworkKeyAuthGuard } from './network-key.strategy';
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

/**
 * The network's guards, in order: IP allowlist (403 `ip_not_allowed`), API key through Passport
 * (401 `invalid_api_key`), signature (401 `bad_signature` | `stale_timestamp` | `replayed`), then the
 * network's rate limit (429). On `/postback/:network` the network is the one named in the path and
 * nothing of the request has been read yet; on a bare `/postback` it is the network of the clicked
 * offer, found by reading the click id the same way the handler will. A postback whose network is not
 * known (unknown network: the handler's 404; unknown click: logged `unattributed`) passes unguarded.
 * What it resolved (the network, and on a bare `/postback` the request it read and parsed) is left on
 * the request for the key strategy and the handler (`@GuardedNetwork()`), so nothing is looked up twice.
 *
 * Refusals are logged to the app log, not to the postback log: a refused request writes nothing to
 * the database, so a flood of forgeries cannot grow it.
 */
@Injectable()
export class PostbackGuard implements CanActivate {
  private readonly logger = new Logger('PostbackGuard');
  private readonly allowlists = new Map<string, IpAllowlist>();

  constructor(
    private readonly networks: NetworkRepository,
    private readonly clickContexts: ClickContextLoader,
    private readonly registry: PluginRegistry,
    private readonly clientIp: ClientIpResolver,
    private readonly keyGuard: NetworkKeyAuthGuard,
    private readonly signatures: SignatureVerifier,
    private readonly limits: RateLimits,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const req = http.getRequest<FastifyRequest>();
    const ip = this.clientIp.of(req);
    const guarded = await this.resolve(req, ip);
    setGuardedNetwork(req, guarded);
    const network = guarded.network;
    if (!network) return true;
    const guards = network.guards ?? {};
    const refuse = (guard: string, reason: string, error: ApiError) => {
      this.logger.warn(
        `postback refused: guard=${guard} reason=${reason} network=${network.slug} ip=${safeLogValue(ip, 64)} request="${req.method} ${safeLogValue(req.url.split('?')[0], 128)}"`,
      );
      return error;
    };
    if (guards.ipAllowlist?.length && !this.allowlist(guards.ipAllowlist).allows(ip)) {
      throw refuse('ip_allowlist', 'ip_not_allowed', new ApiError('ip_not_allowed', 'Postbacks for this network are not accepted from this address.'));
    }
    if (guards.requireApiKey) {
      try {
        await this.keyGuard.canActivate(context);
      } catch (error) {
        throw refuse('api_key', 'invalid_api_key', error as ApiError);
      }
    }
    if (guards.requireSignature) {
      const verdict = await this.signatures.verify(network.id, req);
      if (!verdict.ok) throw refuse('signature', verdict.reason, new ApiError(verdict.error, SIGNATURE_MESSAGES[verdict.error]));
      // Only a booked postback may make its identical copy a replay. Every other answer (a 5xx, the
      // 429 of the network's rate limit below, a 405, a 4xx, any HEAD) stored nothing, and its sender
      // will retry it as is: after Retry-After, or with GET after a HEAD.
      const reply = http.getResponse<FastifyReply>();
      if (verdict.forget) reply.raw.once('finish', () => void (bookedBy(req.method, reply.statusCode) ? undefined : verdict.forget!()));
    }
    const rate = await this.limits.consumeNetwork(network.id, ip);
    if (!rate.ok) {
      // Logged by RateLimits, once per window: a network over its budget would otherwise flood the log.
      void http.getResponse<FastifyReply>().header('retry-after', String(rate.retryAfterSec));
      throw new ApiError('rate_limited', `Too many postbacks for this network; retry in ${rate.retryAfterSec} s.`);
    }
    return true;
  }

  private async resolve(req: FastifyRequest, ip: string): Promise<GuardedNetwork> {
    const ref = (req.params as { network?: unknown } | undefined)?.network;
    if (typeof ref === 'string') return { network: (await this.networks.findByRef(ref)) ?? null };
    let generic: GuardedNetwork['generic'];
    try {
      const read = readPostbackRequest(req, ip);
      const adapter = this.registry.adapter('generic');
      if (adapter) generic = { ...read, postbacks: await adapter.parse(read.request, {}) };
    } catch {
      // Unreadable: the handler reads it the same way and answers the same 400, storing nothing.
      return { network: null };
    }
    const first = generic?.postbacks[0];
    if (!first?.clickId) return { network: null, generic };
    // Loaded with everything the recorder needs of the click, and handed on to it (see ClickContextLoader).
    const clickContext = await this.clickContexts.load(cutText(first.clickId, 128), first.goal ?? '');
    return { network: clickContext?.network ?? null, generic, clickContext };
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
