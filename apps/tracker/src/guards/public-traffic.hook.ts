import type { INestApplication } from '@nestjs/common';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { CLIENT_IP, ClientIpResolver } from '../http/client-ip';
import { RateLimits } from './rate-limits';
import type { ErrorBody } from '../http/error-codes';

/** Paths that are not public tracking endpoints: the admin API and queue board (key-protected), health checks and metrics scrapes. */
const NOT_PUBLIC = /^\/(?:api|admin|health|metrics)(?:\/|\?|$)/;

/**
 * Registers the per-address rate limit as a Fastify `onRequest` hook, so it runs before routing work,
 * body parsing and any database access, and covers every public route, including raw Fastify routes
 * and 404s. It must be installed before the app listens (hooks are bound to routes when Fastify is ready).
 */
/** Told of each request the per-address limit refused (the postback log records those of postback routes). */
export type RefusedListener = (req: FastifyRequest, answer: { errorCode: string; httpStatus: number; param?: string }) => void;

export function installPublicTrafficHook(app: INestApplication, onRefused?: RefusedListener): void {
  const fastify = app.getHttpAdapter().getInstance() as FastifyInstance;
  const clientIp = app.get(ClientIpResolver, { strict: false });
  const limits = app.get(RateLimits, { strict: false });
  // Declared up front so Fastify keeps one request shape for the resolved address.
  if (!fastify.hasRequestDecorator(CLIENT_IP)) fastify.decorateRequest(CLIENT_IP, '');
  fastify.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
    const ip = clientIp.of(req);
    if (NOT_PUBLIC.test(req.url)) return;
    const verdict = await limits.consumeIp(ip);
    if (verdict.ok) return;
    onRefused?.(req, { errorCode: 'rate_limited', httpStatus: 429 });
    return reply
      .code(429)
      .header('retry-after', String(verdict.retryAfterSec))
      .header('cache-control', 'no-store')
      .header('content-type', 'application/json; charset=utf-8')
      .send(
        JSON.stringify({ error: 'rate_limited', message: `Too many requests from this address; retry in ${verdict.retryAfterSec} s.` } satisfies ErrorBody),
      );
  });
}
