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

  it('counts each attempt before the password is checked, shared between processes, per account (any case or Unicode form) and per address', async () => {
    const [a, b] = [new SignInThrottle(config, await ready('redis://127.0.0.1:6379')), new SignInThrottle(config, await ready('redis://127.0.0.1:6379'))];
    expect(await a.attempt('198.51.100.1', 'x@example.com')).toEqual({ ok: true });
    await a.succeeded('198.51.100.1', 'x@example.com');
    expect(await a.attempt('198.51.100.1', 'x@example.com')).toEqual({ ok: true });
    expect(await b.attempt('198.51.100.2', 'X@Example.com ')).toEqual({ ok: true });
    const limited = await a.attempt('198.51.100.3', 'x@example.com');
    expect(limited).toEqual({ ok: false, retryAfterSec: expect.any(Number) });
    expect((limited as { retryAfterSec: number }).retryAfterSec).toBeGreaterThan(800);
    expect(await b.attempt('198.51.100.3', 'other@example.com')).toEqual({ ok: true });
    for (const email of ['p@example.com', 'q@example.com', 'r@example.com', 's@example.com']) expect((await b.attempt('198.51.100.9', email)).ok).toBe(true);
    expect((await a.attempt('198.51.100.9', 'fresh@example.com')).ok).toBe(false);
  });

  it('lets no more than the limit through when attempts arrive all at once, and one Unicode spelling shares the count', async () => {
    const throttle = new SignInThrottle(config, await ready('redis://127.0.0.1:6379'));
    const verdicts = await Promise.all(
      Array.from({ length: 40 }, (_, i) => throttle.attempt(`198.51.100.${100 + (i % 2)}`, i % 2 ? 'nina@example.com' : 'n\u0130na@example.com')),
    );
    expect(verdicts.filter((v) => v.ok)).toHaveLength(2);
  });

  it('limits successful sign-ins per account too', async () => {
    const throttle = new SignInThrottle({ ...config, auth: { ...config.auth, signInSuccessesPerAccount: 2 } }, await ready('redis://127.0.0.1:6379'));
    for (let i = 0; i < 2; i++) {
      expect((await throttle.attempt('198.51.100.20', 'ok@example.com')).ok).toBe(true);
      await throttle.succeeded('198.51.100.20', 'ok@example.com');
    }
    expect((await throttle.attempt('198.51.100.20', 'ok@example.com')).ok).toBe(false);
  });

  it('keeps counting in memory when Redis does not answer (fails safe, not open)', async () => {
    const dead = createServer().listen(0, '127.0.0.1');
    await new Promise((r) => dead.once('listening', r));
    const port = (dead.address() as { port: number }).port;
    await new Promise((r) => dead.close(r));
    const throttle = new SignInThrottle(config, redisAt(`redis://127.0.0.1:${port}`));
    expect(await throttle.attempt('198.51.100.50', 'y@example.com')).toEqual({ ok: true });
    expect(await throttle.attempt('198.51.100.50', 'y@example.com')).toEqual({ ok: true });
    expect((await throttle.attempt('198.51.100.51', 'y@example.com')).ok).toBe(false);
  });
});
