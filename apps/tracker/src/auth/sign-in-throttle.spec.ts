import { loadConfig } from '@postwire/config';
import { producerRedisOptions } from '@postwire/runtime';
import { Redis } from 'ioredis';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { SignInThrottle } from './sign-in-throttle';

/** The sign-in throttle against the real local Redis, and against a Redis that is not there. */
describe('SignInThrottle', () => {
  const config = loadConfig({ QUEUE_PREFIX: 'pwthr' + randomBytes(4).toString('hex'), SIGN_IN_ATTEMPTS_PER_ACCOUNT: '2', SIGN_IN_ATTEMPTS_PER_IP: '4' });
  const redises: Redis[] = [];
  const redisAt = (url: string) => {
    const redis = new Redis({ ...producerRedisOptions(url), commandTimeout: 500 });
    redis.on('error', () => undefined);
    redises.push(redis);
    return redis;
  };
  const ready = async (url: string) => {
    const redis = redisAt(url);
    await new Promise((resolve) => redis.once('ready', resolve));
    return redis;
  };
  afterAll(async () => {
    for (const r of redises) r.disconnect();
  });

  it('shares counts between processes in Redis, per account (any case) and per address; a success clears the account', async () => {
    const [a, b] = [new SignInThrottle(config, await ready('redis://127.0.0.1:6379')), new SignInThrottle(config, await ready('redis://127.0.0.1:6379'))];
    expect(await a.check('198.51.100.1', 'x@example.com')).toEqual({ ok: true });
    await a.failed('198.51.100.1', 'x@example.com');
    await a.succeeded('198.51.100.1', 'x@example.com');
    await a.failed('198.51.100.1', 'x@example.com');
    await b.failed('198.51.100.2', 'X@Example.com ');
    const limited = await a.check('198.51.100.3', 'x@example.com');
    expect(limited).toEqual({ ok: false, retryAfterSec: expect.any(Number) });
    expect((limited as { retryAfterSec: number }).retryAfterSec).toBeGreaterThan(800);
    expect(await b.check('198.51.100.3', 'other@example.com')).toEqual({ ok: true });
    for (const email of ['p@example.com', 'q@example.com']) await b.failed('198.51.100.9', email);
    expect(await a.check('198.51.100.9', 'fresh@example.com')).toEqual({ ok: true });
    await a.failed('198.51.100.9', 'r@example.com');
    await a.failed('198.51.100.9', 's@example.com');
    expect((await b.check('198.51.100.9', 'fresh@example.com')).ok).toBe(false);
  });

  it('keeps counting in memory when Redis does not answer (fails safe, not open)', async () => {
    const dead = createServer().listen(0, '127.0.0.1');
    await new Promise((r) => dead.once('listening', r));
    const port = (dead.address() as { port: number }).port;
    await new Promise((r) => dead.close(r));
    const throttle = new SignInThrottle(config, redisAt(`redis://127.0.0.1:${port}`));
    expect(await throttle.check('198.51.100.50', 'y@example.com')).toEqual({ ok: true });
    await throttle.failed('198.51.100.50', 'y@example.com');
    await throttle.failed('198.51.100.50', 'y@example.com');
    expect((await throttle.check('198.51.100.51', 'y@example.com')).ok).toBe(false);
  });
});
