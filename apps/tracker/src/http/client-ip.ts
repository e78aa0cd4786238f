import { Inject, Injectable, Logger } from '@nestjs/common';
import type { PostwireConfig } from '@postwire/config';
import { POSTWIRE_CONFIG } from '@postwire/runtime';
import { IpAllowlist, parseIpAddress, resolveClientIp } from '@postwire/security';
import type { FastifyRequest } from 'fastify';

/** Where the resolved address is kept on the request, so every reader in one request agrees and it is worked out once. */
export const CLIENT_IP = 'postwireClientIp';

type RequestLike = Pick<FastifyRequest, 'headers'> & { socket?: { remoteAddress?: string }; raw?: { socket?: { remoteAddress?: string } } };

/**
 * The one place that says who sent a request: the TCP peer, or, only when that peer is a proxy listed in
 * TRUST_PROXY, the first untrusted hop of X-Forwarded-For read from the right (`resolveClientIp`).
 * Fastify's own `trustProxy` stays off: it believes the leftmost hop, which the client writes.
 * Every controller, the rate limits and the IP allowlists read the address from here.
 */
@Injectable()
export class ClientIpResolver {
  private readonly trusted?: IpAllowlist;
  private readonly logger = new Logger('ClientIp');
  private warned = false;

  constructor(@Inject(POSTWIRE_CONFIG) config: PostwireConfig) {
    this.trusted = config.trustProxy.length ? new IpAllowlist(config.trustProxy) : undefined;
  }

  /** Whether the TCP peer of `req` is a proxy listed in TRUST_PROXY, so its X-Forwarded-* headers may be believed. */
  viaTrustedProxy(req: RequestLike): boolean {
    const peer = req.socket?.remoteAddress ?? req.raw?.socket?.remoteAddress ?? '';
    return this.trusted !== undefined && peer !== '' && this.trusted.allows(peer);
  }

  /** The client address of `req` in canonical form (`1.2.3.4`, RFC 5952 for IPv6; IPv4-mapped unwrapped). */
  of(req: RequestLike): string {
    const cached = (req as Record<string, unknown>)[CLIENT_IP];
    if (typeof cached === 'string' && cached !== '') return cached;
    const peer = req.socket?.remoteAddress ?? req.raw?.socket?.remoteAddress ?? '';
    const forwarded = req.headers['x-forwarded-for'];
    const ip = resolveClientIp(peer, forwarded, this.trusted);
    if (forwarded !== undefined && !this.warned && !this.trusted?.allows(ip) && isLoopback(ip)) {
      // The usual misconfiguration: a reverse proxy on the same host and TRUST_PROXY unset. Every client
      // then looks like 127.0.0.1, which allowlists cannot tell apart and rate limits exempt.
      this.warned = true;
      this.logger.warn(
        'requests from a local proxy carry X-Forwarded-For, but TRUST_PROXY does not list it: every client looks like the proxy. Set TRUST_PROXY.',
      );
    }
    (req as Record<string, unknown>)[CLIENT_IP] = ip;
    return ip;
  }
}

function isLoopback(ip: string): boolean {
  const address = parseIpAddress(ip);
  return address?.range() === 'loopback';
}
