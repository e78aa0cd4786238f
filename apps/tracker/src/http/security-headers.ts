import helmet from '@fastify/helmet';
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';

/**
 * Helmet's defaults are for HTML apps; Postwire answers redirects, JSON and a GIF, so the
 * content-security policy is not needed, the rest of the hardening headers are.
 */
export const HELMET_OPTIONS = { contentSecurityPolicy: false, crossOriginResourcePolicy: { policy: 'cross-origin' } } as const;

/**
 * The headers @fastify/helmet sends with these options, found once by asking it on a throwaway
 * Fastify instance. Without CSP nonces they are the same for every response.
 */
export async function securityHeaders(options: typeof HELMET_OPTIONS = HELMET_OPTIONS): Promise<Record<string, string>> {
  const probe = Fastify({ logger: false });
  await probe.register(helmet, options);
  probe.get('/', (_req, reply) => void reply.send(''));
  const res = await probe.inject({ method: 'GET', url: '/' });
  await probe.close();
  // Only the headers helmet added: what Fastify sends on its own is left to Fastify.
  const own = new Set(['content-type', 'content-length', 'date', 'connection', 'keep-alive']);
  return Object.fromEntries(
    Object.entries(res.headers)
      .filter(([name]) => !own.has(name))
      .map(([name, value]) => [name, String(value)]),
  );
}

/**
 * Sends helmet's headers on every response. @fastify/helmet itself builds a new helmet middleware
 * on every request, which cost about 20 µs each, as much as Fastify's whole routing and reply;
 * the same header set, computed at boot, costs one object merge.
 */
export async function installSecurityHeaders(fastify: FastifyInstance): Promise<void> {
  const headers = await securityHeaders();
  fastify.addHook('onRequest', (_req, reply, done) => {
    void reply.headers(headers);
    done();
  });
}
