import helmet from '@fastify/helmet';
import Fastify from 'fastify';
import { HELMET_OPTIONS, installSecurityHeaders } from './security-headers';

describe('installSecurityHeaders', () => {
  it('sends exactly the headers @fastify/helmet sends, on answers and on 404s', async () => {
    const withHelmet = Fastify({ logger: false });
    await withHelmet.register(helmet, HELMET_OPTIONS);
    const precomputed = Fastify({ logger: false });
    await installSecurityHeaders(precomputed);
    for (const app of [withHelmet, precomputed]) app.get('/c/:id', (_req, reply) => void reply.redirect('https://offer.example/', 302));
    const strip = (headers: Record<string, unknown>) => Object.fromEntries(Object.entries(headers).filter(([k]) => k !== 'date'));
    for (const url of ['/c/1', '/nowhere']) {
      const [expected, actual] = await Promise.all([withHelmet.inject({ url }), precomputed.inject({ url })]);
      expect(actual.statusCode).toBe(expected.statusCode);
      expect(strip(actual.headers)).toEqual(strip(expected.headers));
    }
    expect(Object.keys((await precomputed.inject({ url: '/c/1' })).headers)).toEqual(
      expect.arrayContaining(['strict-transport-security', 'x-content-type-options', 'referrer-policy']),
    );
    await Promise.all([withHelmet.close(), precomputed.close()]);
  });
});
